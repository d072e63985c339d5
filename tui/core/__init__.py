"""The domain: feeds, articles, language. Never imports textual or rich (an import contract checks it).

The data flow, and where each part lives:

    feeds/     fetch (httpx) → parse (feedparser, JSON Feed) → refresh (into the store); subscriptions
    store      SQLite: feeds, entries, state, the reading cache, search
    article/   decode → locate (readability-lxml + the block walk) → boilerplate (rules) → export
    language/  quotes, places (gazetteer), lexicon (word lists as data)
    reading    an entry → its Reading (article, quotes, places), cached under a digest of the rules
    schema     every JSON shape the CLI prints and `save` writes
"""

import sys

__all__ = ["skip_httpx_cli"]


def skip_httpx_cli() -> None:
    """Keep httpx from importing its command-line client (click, rich, pygments) with itself.

    httpx imports `httpx._main` whenever those packages are installed, and rich always is, beside
    textual. Marking that module absent saves every start the ~30 ms those imports cost and keeps
    rich out of a core-only process. It only affects httpx's own `httpx` shell command, never used
    here. Call it before the first `import httpx`; the entry point (`tui.cli.main`) does.
    """
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
