"""Domain objects → Content/Text for widgets: the only place feed text is formatted for the screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.text import Text
from textual.content import Content

from tui.core.models import Entry, Feed
from tui.core.text import clean_line, clean_paragraph, normalize, place_kind

if TYPE_CHECKING:  # refresh and enclosures load the fetch client, which waits until after the first paint
    from tui.core.feeds import DownloadJob, RefreshReport
    from tui.core.feeds.sync import SyncReport
    from tui.core.filters import QueryFeed
    from tui.core.models import Article, Block, Enclosure, Place, Quote
    from tui.core.stories import Diff, Story

# Feed text becomes Content(...) or Text(...) objects, which never parse markup: a title such as
# "[/oops] [bold]x" is shown exactly as written. Styles here name theme variables, never colours.
MUTED = "$text-muted"
ERROR = "$text-error"
ACCENT = "$text-accent"
ADDED = "$text-success"
CUT = "$text-error"
UPDATED_MARK = "updated"
UNREAD_MARK = "●"
STAR_MARK = "★"
ERROR_MARK = "!"
FEED_LABEL_WIDTH = 20  # cells for an untitled feed's address in the feeds pane (26 wide when narrow)


def plain(text: str | None) -> Content:
    """One line of untrusted text, as literal Content."""
    return Content(clean_line(text))


def paragraph(text: str | None) -> Content:
    """A paragraph of untrusted text (line breaks kept), as literal Content."""
    return Content(clean_paragraph(text))


def message(text: str | None) -> str:
    """Untrusted text for `notify(..., markup=False)`, which only takes a str."""
    return clean_paragraph(text)


def short_date(value: datetime | None, now: datetime | None = None) -> str:
    """A date for the entry list (8 cells at most): time today, day and month this year, else month and year."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo else value.replace(tzinfo=UTC).astimezone()
    now = now or datetime.now().astimezone()
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%d %b")
    return local.strftime("%b %Y")


def long_date(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo else value.replace(tzinfo=UTC).astimezone()
    return local.strftime("%a %d %b %Y, %H:%M")


# -- feeds pane -------------------------------------------------------------------------------------


def _count(unread: int) -> Content:
    return Content.styled(f" {unread}", "bold") if unread else Content("")


def virtual_prompt(label: str, unread: int | None = None) -> Content:
    """'All articles' / 'Starred' rows at the top of the feeds pane."""
    return Content.assemble(Content.styled(label, "bold"), _count(unread or 0))


def feed_prompt(feed: Feed) -> Content:
    """A feed row: an error mark, the title, its unread count, and its tags on a second line."""
    parts: list[Content] = []
    if feed.status in ("error", "gone"):
        parts.append(Content.styled(f"{ERROR_MARK}\u00a0", f"bold {ERROR}"))  # no break after the mark
    # A feed that never loaded has no title: its short address, cut to one line of the pane.
    parts.append(Content(feed_label(feed, FEED_LABEL_WIDTH)))
    parts.append(_count(feed.unread))
    line = Content.assemble(*parts)
    tags = [clean_line(t) for t in feed.tags if clean_line(t)]
    if tags:
        line = Content.assemble(line, "\n", Content.styled("  " + " ".join("#" + t for t in tags), MUTED))
    return line


def feed_status(feed: Feed | None) -> Content:
    """The line under the feeds pane: a feed's error and when it was last checked."""
    if feed is None:
        return Content("")
    if feed.synced:
        checked = "by the sync server"  # which fetches it: Newswire's last check says nothing
    else:
        checked = long_date(feed.last_checked) if feed.last_checked else "never"
    if feed.last_error:
        return Content.assemble(
            Content.styled(f"{ERROR_MARK} ", f"bold {ERROR}"),
            Content.styled(clean_line(feed.last_error), ERROR),
            Content.styled(f"\nchecked {checked}", MUTED),
        )
    return Content.styled(f"{feed.unread} unread of {feed.total} · checked {checked}", MUTED)


# -- entries list -----------------------------------------------------------------------------------


def entry_marks(entry: Entry) -> Text:
    return Text(
        (UNREAD_MARK if not entry.read else " ") + (STAR_MARK if entry.starred else " "),
        style="bold", no_wrap=True, end="",
    )


def entry_title(entry: Entry, *, updated: bool = False) -> Text:
    """The title cell; an entry whose feed or page later changed its text starts with "updated"."""
    title = Text(clean_line(entry.title) or "(untitled)", style="bold" if not entry.read else "",
                 no_wrap=True, end="", overflow="ellipsis")
    if updated:
        # First, not after the title: a long title is cut at the column's end and would hide it.
        title = Text.assemble((UPDATED_MARK, "italic reverse"), " ", title, no_wrap=True, end="", overflow="ellipsis")
    return title


def entry_cells(
    entry: Entry, now: datetime | None = None, *, updated: bool = False, when: datetime | None = None
) -> tuple[Text, Text, Text, Text]:
    """The DataTable cells of one entry: marks, date (`when`, else the entry's), feed, title."""
    return (
        entry_marks(entry),
        Text(short_date(when or entry.published, now), style="dim", no_wrap=True, end=""),
        Text(clean_line(entry.feed_title), style="dim", no_wrap=True, end="", overflow="ellipsis"),
        entry_title(entry, updated=updated),
    )


def outlet_count(story: Story | None, *, compact: bool = False) -> Text:
    """The Outlets cell of a story row: how many outlets carry it (blank for an entry on its own)."""
    if story is None:
        return Text("", end="")
    count = len(story.outlets)
    return Text(f"{count}×" if compact else _plural(count, "outlet"), style="bold" if story.unread else "dim",
                no_wrap=True, end="")


# -- stories ----------------------------------------------------------------------------------------


def copy_label(entry: Entry) -> Content:
    """One copy of a story on one line: outlet · time · headline."""
    when = long_date(entry.published)
    return Content.assemble(
        Content.styled(clean_line(entry.feed_title) or clean_line(entry.feed_url), "bold"),
        Content.styled(f" · {when}" if when else "", MUTED),
        " · ",
        plain(entry.title or "(untitled)"),
    )


def also_in(story: Story, shown: int, next_key: str, diff_key: str) -> Content:
    """The reader's "Also in" block: every copy of the story, the one shown marked, and the keys."""
    lines = [Content.styled(f"Also in ({next_key}: next copy · {diff_key}: what changed):", MUTED)]
    for copy in story.copies:
        mark = "▸ " if copy.entry.id == shown else "  "
        lines.append(Content.assemble(mark, copy_label(copy.entry)))
    return Content("\n").join(lines)


def diff_view(diff: Diff, old_label: Content, new_label: Content) -> Content:
    """What `new` changed against `old`: headline, paragraphs added / cut / edited, quotes added / dropped."""
    parts: list[Content] = [Content.assemble(Content.styled("What ", "bold"), new_label,
                                             Content.styled(" changed against ", "bold"), old_label)]
    if diff.title_changed:
        parts.append(Content.assemble(
            Content.styled("Headline\n", "bold"),
            Content.styled("− " + clean_line(diff.old_title), f"{CUT} strike"), "\n",
            Content.styled("+ " + clean_line(diff.new_title), ADDED),
        ))
    if diff.same:
        parts.append(Content.styled("No differences in the text.", "italic"))
    for change in diff.changes:
        if change.kind == "added":
            parts.append(Content.assemble(Content.styled("Paragraph added\n", f"bold {ADDED}"),
                                          Content.styled(clean_paragraph(change.text), ADDED)))
        elif change.kind == "cut":
            parts.append(Content.assemble(Content.styled("Paragraph cut\n", f"bold {CUT}"),
                                          Content.styled(clean_paragraph(change.text), f"{CUT} strike")))
        else:
            words: list[Content] = []
            for op, text, _ in change.words:
                text = clean_paragraph(text)
                words.append(Content.styled(text, f"{CUT} strike") if op == "-"
                             else Content.styled(text, f"bold {ADDED}") if op == "+" else Content(text))
            parts.append(Content.assemble(Content.styled("Words edited\n", f"bold {ACCENT}"),
                                          Content(" ").join(words)))
    if diff.quotes_added:
        parts.append(Content.assemble(
            Content.styled("Quotes added", f"bold {ADDED}"),
            *[Content.assemble("\n+ “", Content.styled(clean_line(q), ADDED), "”") for q in diff.quotes_added],
        ))
    if diff.quotes_dropped:
        parts.append(Content.assemble(
            Content.styled("Quotes dropped", f"bold {CUT}"),
            *[Content.assemble("\n− “", Content.styled(clean_line(q), CUT), "”") for q in diff.quotes_dropped],
        ))
    parts.append(Content.styled(f"{_plural(diff.unchanged, 'paragraph')} unchanged.", MUTED))
    return Content("\n\n").join(parts)


# -- reader -----------------------------------------------------------------------------------------


def headline(article: Article, entry: Entry | None = None) -> Content:
    return plain(article.title or (entry.title if entry else "") or "(untitled)")


def meta_line(article: Article, entry: Entry | None = None) -> Content:
    """Byline · date · source (site or feed) · address."""
    parts = []
    if article.byline:
        parts.append(plain(article.byline))
    published = article.published or (entry.published if entry else None)
    if published:
        parts.append(Content(long_date(published)))
    source = article.site_name or (entry.feed_title if entry else None)
    if source:
        parts.append(plain(source))
    meta = Content(" · ").join(parts)
    url = article.url or (entry.link if entry else None)
    if url:
        meta = Content.assemble(meta, "\n", Content.styled(clean_line(url), MUTED)) if parts else plain(url)
    return meta


def list_markers(blocks: Sequence[Block]) -> list[str]:
    """The prefix of each block: bullets and numbers for list items, indented by depth."""
    markers: list[str] = []
    counters: dict[int, int] = {}
    previous: Block | None = None
    for block in blocks:
        if block.kind != "list_item":
            markers.append("")
            counters.clear()
        else:
            depth = max(0, block.level - 1)
            if previous is None or previous.kind != "list_item":
                counters.clear()
            counters = {d: n for d, n in counters.items() if d <= depth}
            counters[depth] = counters.get(depth, 0) + 1
            bullet = f"{counters[depth]}. " if block.ordered else "• "
            markers.append("  " * depth + bullet)
        previous = block
    return markers


def block_content(
    block: Block, marker: str = "", spans: Iterable[tuple[int, int, str]] = ()
) -> Content:
    """One body block, with `spans` (start, end, style; offsets into the block's text) highlighted."""
    text = normalize(block.text) if block.kind == "code" else clean_paragraph(block.text)
    content = Content(marker + text)
    shift = len(marker)
    for start, end, style in spans:
        content = content.stylize(style, start + shift, end + shift)
    return content


# -- sidebar ----------------------------------------------------------------------------------------


QUOTE_CHARS = 110  # about three lines of the sidebar: choosing a quote shows all of it in the article


def quote_prompt(quote: Quote) -> Content:
    """A quote (its start, when long), then its speaker on the next line."""
    speaker = clean_line(quote.speaker) if quote.speaker else "unattributed"
    text = clean_line(quote.text)
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return Content.assemble(
        Content("“" + text + "”"),
        "\n",
        Content.styled("— " + speaker, MUTED if not quote.speaker else f"italic {ACCENT}"),
    )


def place_prompt(place: Place) -> Content:
    """A place: name, then kind and country."""
    where = [place_kind(place.kind)]
    country = clean_line(place.country_name or place.country)
    if country and place.kind != "country":
        where.append(country)
    count = f" ×{place.mentions}" if place.mentions > 1 else ""
    return Content.assemble(
        Content.styled(clean_line(place.name), "bold"),
        Content.styled(count, MUTED),
        "\n",
        Content.styled(", ".join(where), MUTED),
    )


def place_detail(place: Place) -> Content:
    """The chosen place: name, kind, country, coordinates, mention count."""
    country = clean_line(place.country_name or "")
    code = clean_line(place.country or "")
    lines = [Content.styled(clean_line(place.name), "bold"), Content(place_kind(place.kind))]
    if country or code:
        lines.append(Content(f"{country} ({code})" if country and code else country or code))
    if place.lat is not None and place.lon is not None:
        lat = f"{abs(place.lat):.2f}°{'N' if place.lat >= 0 else 'S'}"
        lon = f"{abs(place.lon):.2f}°{'E' if place.lon >= 0 else 'W'}"
        lines.append(Content(f"{lat} {lon}"))
    times = "once" if place.mentions == 1 else f"{place.mentions} times"
    lines.append(Content.styled(f"mentioned {times}", MUTED))
    return Content("\n").join(lines)


def loading_notice(host: str, elapsed: int) -> Content:
    """What the reader says while a page loads: the host fetched, seconds so far, how to cancel."""
    where = f"Fetching the article from {clean_line(host)}" if host else "Preparing the article"
    return Content(f"{where} … {elapsed} s · escape cancels")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def refresh_progress(done: int, total: int, pending: Sequence[str]) -> Content:
    """'Refreshing 9/10 · waiting for World Wire': the feeds still out, never the one that just landed."""
    line = Content(f"Refreshing {done}/{total}")
    if pending:
        names = clean_line(pending[0])
        more = f" and {len(pending) - 1} more" if len(pending) > 1 else ""
        line = Content.assemble(line, " · waiting for ", Content(names), more)
    return line


def refresh_summary(report: RefreshReport, synced: SyncReport | None = None) -> str:
    """What a refresh did: what its sync did first (when it synced), new articles from the feeds that
    were read, then each failure and why. With every feed the server's, the feeds' line is left out
    (it said "0 new articles from 0 feeds" over a sync that brought some)."""
    read = len(report.ok) + len(report.not_modified)
    lines = [sync_summary(synced)] if synced is not None else []
    if synced is None or read or report.failed or report.new_entries:
        lines.append(f"{_plural(report.new_entries, 'new article')} from {_plural(read, 'feed')}"
                     + (f"; {len(report.failed)} failed:" if report.failed else "."))
    for outcome in report.failed[:5]:
        lines.append(f"{feed_label(outcome.feed)}: {outcome.error or outcome.describe()}")
    if len(report.failed) > 5:
        lines.append(f"…and {len(report.failed) - 5} more (marked ! in the feeds pane).")
    if report.after is not None:  # full text fetched ahead of time: one line, not its failures
        lines.extend(report.after.summary_lines()[:1])
    return "\n".join(clean_paragraph(line) for line in lines)


def sync_summary(report: SyncReport) -> str:
    """'Synced: 3 new articles, 2 marks received, 1 mark sent.' (what changed only)."""
    parts = [_plural(report.new, "new article")] if report.new else []
    if report.updated:
        parts.append(f"{report.updated} updated")
    if report.states:
        parts.append(f"{_plural(report.states, 'mark')} received")
    if report.sent:
        parts.append(f"{_plural(report.sent, 'mark')} sent")
    if report.unsubscribed:
        parts.append(f"{_plural(report.unsubscribed, 'feed')} unsubscribed")
    return f"Synced: {', '.join(parts) if parts else 'nothing new'}."


def feed_label(feed: Feed, width: int = 0) -> str:
    """A feed's name: its title, else its address without the scheme (host and path), on one line.

    `width` > 0 shortens an address to fit, keeping the host, which says the most.
    """
    if feed.title and clean_line(feed.title):
        return clean_line(feed.title)
    parts = urlsplit(feed.url)
    try:
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    except ValueError:  # a port that is not a number
        host = parts.hostname or ""
    label = clean_line(host + parts.path.rstrip("/")) or clean_line(feed.url)
    if width and len(label) > width:
        label = label[: width - 1] + "…"
    return label


def empty_list(why: str, press: str) -> tuple[Text, Text]:
    """The lines of an empty list: why it is empty, then what to press (each has a line's width)."""
    return (Text(clean_line(why), style="italic", no_wrap=True, end="", overflow="ellipsis"),
            Text(press, style="dim", no_wrap=True, end="", overflow="ellipsis"))


# -- filters, query feeds, enclosures ---------------------------------------------------------------

QUERY_MARK = "?"  # before a query feed's name in the feeds pane (newsboat lists them like feeds)


def query_prompt(query: QueryFeed) -> Content:
    """A query feed row: its mark, its name and unread count; an expression that cannot be used is marked."""
    name = Content(clean_line(query.name) or "(unnamed query)")
    if query.error:
        return Content.assemble(Content.styled(f"{ERROR_MARK}\u00a0", f"bold {ERROR}"), name)
    return Content.assemble(Content.styled(f"{QUERY_MARK}\u00a0", MUTED), name, _count(query.unread))


def query_status(query: QueryFeed) -> Content:
    """The line under the feeds pane for a query feed: its expression, or why it cannot be used."""
    if query.error:
        return Content.assemble(
            Content.styled(f"{ERROR_MARK} ", f"bold {ERROR}"),
            Content.styled(f"bad filter: {clean_line(query.error)}", ERROR),
        )
    return Content.styled(f"{query.unread} unread of {query.total} · {clean_line(query.filter)}", MUTED)


def filtered_title(title: Content, expression: str, shown: int) -> Content:
    """The list's title under a filter: what it lists, the expression, how many match."""
    matches = "1 match" if shown == 1 else f"{shown} matches"
    return Content.assemble(title, " · filter ", Content.styled(clean_line(expression), "bold"), f": {matches}")


def filter_error(expression: str, column: int, reason: str) -> Content:
    """The prompt's error: the expression with a caret under the column, then the reason."""
    text = clean_line(expression)
    caret = " " * max(0, min(column - 1, len(text))) + "^"
    return Content.assemble(
        Content(text), "\n", Content.styled(caret, f"bold {ERROR}"), "\n",
        Content.styled(f"{clean_line(reason)} at column {column}", ERROR),
    )


def new_articles(count: int) -> str:
    """The auto-reload's notification."""
    return _plural(count, "new article")


def enclosures(items: Sequence[Enclosure], play: str, download: str) -> Content | None:
    """The reader's line about an article's enclosures: each one's type, size and length, and the keys."""
    if not items:
        return None
    from tui.core.feeds import describe_enclosure  # loads the fetch client: not before the first paint

    lines: list[Content] = []
    for index, item in enumerate(items):
        name = urlsplit(item.url).path.rsplit("/", 1)[-1] or item.url
        lines.append(Content.assemble(
            Content.styled("♫ " if index == 0 else "  ", ACCENT),
            Content(clean_line(describe_enclosure(item))), Content.styled(f" · {clean_line(name)}", MUTED),
        ))
    lines.append(Content.styled(f"{play} plays the first, {download} downloads it", MUTED))
    return Content("\n").join(lines)


def download_cells(job: DownloadJob) -> tuple[Text, Text, Text, Text]:
    """A downloads-view row: file name, progress, state, error."""
    if job.total:
        progress = f"{min(100, job.done * 100 // job.total)}% of {job.total / 1e6:.1f} MB"
    elif job.done:
        progress = f"{job.done / 1e6:.1f} MB"
    else:
        progress = ""
    return (
        Text(clean_line(job.target.name), no_wrap=True, overflow="ellipsis", end=""),
        Text(progress, end=""),
        Text(job.state, style="bold" if job.state == "downloading" else "", end=""),
        Text(clean_line(job.error or ""), style="italic" if job.error else "", end=""),
    )
