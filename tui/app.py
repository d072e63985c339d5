"""NewswireApp: holds the config, store and fetcher of a run and gives them to the main screen."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import TYPE_CHECKING

# No collection while the app's modules load (Textual's, Rich's and ours): what they make lives as
# long as the app, and ~80 young passes walked it, 15-20 ms of CPU before the first paint. The
# collector is as it was once they are loaded; `on_load` pauses it again until the first paint.
_collecting = gc.isenabled()
gc.disable()
try:
    from textual.app import App, SuspendNotSupported
    from textual.theme import Theme

    from tui.actions import check_keys
    from tui.core.config import Config, config_error, save_setting
    from tui.core.paths import Paths
    from tui.core.store import Store
    from tui.jobs import Services
    from tui.messages import OpenLink
    from tui.screens.main import MainScreen
    from tui.widgets import APP_STYLES, styles_dir
finally:
    if _collecting:
        gc.enable()

if TYPE_CHECKING:
    import webbrowser

    from tui.core.feeds import FeedRules, Fetcher
    from tui.core.language import Gazetteer

__all__ = ["NewswireApp", "build_app", "styles_dir"]


class NewswireApp(App[int]):
    """The terminal reader."""

    TITLE = "Newswire"
    CSS_PATH = styles_dir() / APP_STYLES  # each other screen reads its own file when it first opens

    def __init__(self, paths: Paths, config: Config, store: Store, fetcher: Fetcher | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.config = config
        self.store = store
        # Made on first use (the fetch client loads after the first paint) unless given, e.g. by a test.
        # Two of them: a page the user is waiting for must not queue behind a refresh for the
        # host's few connection slots (see `get_fetcher`).
        self._fetchers: dict[str, Fetcher] = {"reading": fetcher, "refresh": fetcher} if fetcher else {}
        self._owns_fetchers = fetcher is None
        self._fetcher_lock: asyncio.Lock | None = None
        self._feed_rules: FeedRules | None = None
        self._gc_paused = False  # collection is off from the app's load to its first paint (on_load)
        self._saved_theme = config.theme
        self._first_run = False  # nothing was subscribed: the demo feed was added (get_default_screen)
        self.set_keymap(config.keys)
        if config.theme in self.available_themes:
            self.theme = config.theme

    @property
    def main(self) -> MainScreen:
        screen = self.get_screen("main")
        assert isinstance(screen, MainScreen)
        return screen

    def feed_rules(self) -> FeedRules:
        """Kill rules and per-feed settings of the config, compiled once."""
        if self._feed_rules is None:
            from tui.core.feeds import FeedRules

            self._feed_rules = FeedRules.from_config(self.config)
        return self._feed_rules

    @property
    def gazetteer(self) -> Gazetteer:
        """The place index under this app's cache dir (so --home holds it), opened on first use.

        The process-wide one for that dir: a refresh's page cleaning uses it too, and on the first
        run the two built the index at once, each from scratch (twice the CPU before the demo's
        first refresh ended: ~9 s instead of ~4).
        """
        from tui.core.language import load_gazetteer  # opened once per cache dir, under its own lock

        return load_gazetteer(self.paths.cache_dir)

    @property
    def save_dir(self) -> Path:
        if self.config.save.directory:
            return Path(self.config.save.directory).expanduser()
        return self.paths.save_dir

    def on_load(self) -> None:
        # Until the first paint, no collection. Start-up made ~70 young passes and one full pass
        # (over the ~60,000 objects the imports, widgets, styles and first rows left) before the
        # list showed: 35-85 ms of CPU in all with the imports', against ~13 ms for a bare Textual
        # app; ~25 ms of CPU less to the first paint at 10k entries without them. What the imports
        # made lives as long as the app: frozen, it is out of every later full pass too.
        # `first_paint_done` (or the app's end) turns collection on again.
        self._gc_paused = gc.isenabled()
        if self._gc_paused:
            gc.freeze()
            gc.disable()

    def first_paint_done(self) -> None:
        """The main screen's first paint is on screen: the garbage collector runs again."""
        if self._gc_paused:
            self._gc_paused = False
            gc.enable()

    def get_default_screen(self) -> MainScreen:
        # The main screen is the app's first screen: no unseen default screen composed, styled
        # and laid out before it, and no second screen pushed over that one. It is composed in
        # the app's start-up batch, but its first frame is made when it resumes, after the batch:
        # that frame is written and shows the rows (bench_ui.py, "first frame written with the
        # first row"). A screen pushed from on_mount had its first full frame dropped (made inside
        # the batch), and the rows showed with a later one.
        self._first_run = first_run = not self.store.has_feeds()
        syncing = self.config.sync.enabled and self.config.sync.on_refresh
        if first_run and not syncing:
            # With nothing subscribed, the bundled demo shows what the reader does, offline. (Not
            # when the first refresh syncs: the server's feeds come, and the demo would stay among them.)
            from tui.core.feeds import DEMO_FEED_URL, DEMO_TITLE  # loads the fetch path: only when needed

            self.store.add_feed(DEMO_FEED_URL, title=DEMO_TITLE, tags=["demo"])
        services = Services(store=self.store, config=self.config, fetcher=self.get_fetcher,
                            refresh_fetcher=self.get_refresh_fetcher, save_dir=self.save_dir,
                            gazetteer=lambda: self.gazetteer, cache_dir=self.paths.cache_dir, rules=self.feed_rules)
        screen = MainScreen(services)
        self.install_screen(screen, "main")
        return screen

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.call_later(self._started, self._first_run)

    def _started(self, first_run: bool) -> None:
        if self.config.theme not in self.available_themes:
            self.notify(f"Unknown theme {self.config.theme!r}; using {self.theme}.", severity="warning", markup=False)
        main = self.main
        if first_run:
            main.call_after_refresh(main.refresh_feeds, None, force=True)
        elif self.config.reader.refresh_on_start:
            main.call_after_refresh(main.refresh_feeds, None, force=False, quiet=True)

    def keep_long_lived(self) -> None:
        """Take what is alive now out of the garbage collector's full passes (gc.freeze).

        Called once the start-up work is in (the gazetteer, the cleaner, the whole entry list):
        the gazetteer alone is ~130k small lists, and every full collection walked all of them,
        ~170 ms of CPU each, several times a minute while reading. What is frozen is still freed
        by reference counting; only cycles among it wait until the app ends (on_unmount).
        """
        gc.freeze()

    async def on_unmount(self) -> None:
        self.first_paint_done()  # an app that ends before its first paint collects again too
        gc.unfreeze()  # the app's own objects can be collected again (tests run many apps in one process)
        fetchers, self._fetchers = self._fetchers, {}
        if self._owns_fetchers:
            for fetcher in fetchers.values():
                await fetcher.__aexit__(None, None, None)

    async def get_fetcher(self, purpose: str = "reading") -> Fetcher:
        """The fetcher for `purpose`: "reading" (pages the user opens) or "refresh" (feeds).

        Each fetcher limits connections per host (config fetch.per_host). With one fetcher, a
        refresh waiting on slow feeds held every slot of their host, and an article from that
        host showed "loading" for as long as the slowest feed took (15–45 s seen), though its
        page answers at once. Pages get their own fetcher, so they never queue behind feeds.
        """
        if self._fetcher_lock is None:
            self._fetcher_lock = asyncio.Lock()
        async with self._fetcher_lock:
            fetcher = self._fetchers.get(purpose)
            if fetcher is None:
                from tui.core.feeds import make_fetcher  # the fetch client loads after the first paint

                fetcher = make_fetcher(self.config)
                await fetcher.__aenter__()
                self._fetchers[purpose] = fetcher
        return fetcher

    async def get_refresh_fetcher(self) -> Fetcher:
        return await self.get_fetcher("refresh")

    # -- themes -----------------------------------------------------------------------------------

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        try:
            save_setting(self.config.path or self.paths.config_file, "theme", theme.name)
        except OSError as exc:
            self.notify(f"Could not save the theme: {exc.strerror or exc}", severity="error", markup=False)

    def theme_names(self) -> list[str]:
        return sorted(name for name in self.available_themes if name != "textual-ansi")

    def action_next_theme(self) -> None:
        names = self.theme_names()
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(f"Theme: {self.theme}", markup=False, timeout=2)

    # -- the outside world ------------------------------------------------------------------------

    def on_open_link(self, message: OpenLink) -> None:
        self.open_in_browser(message.url)

    def open_in_browser(self, url: str) -> None:
        """Open `url` in the user's browser; a terminal browser gets the terminal while it runs."""
        if not url.lower().startswith(("http://", "https://")):
            # Only web links leave the app: never a file: or javascript: URL, never a "-option".
            self.notify("This article has no web link to open.", severity="warning", markup=False)
            return
        import webbrowser  # on the first link opened, not before the first paint

        try:
            browser = webbrowser.get()
        except webbrowser.Error:
            self.notify("No web browser found (set the BROWSER environment variable).", severity="warning", markup=False)
            return
        in_terminal = getattr(browser, "terminal", False) or type(browser) is webbrowser.GenericBrowser
        if in_terminal:
            try:
                with self.suspend():
                    browser.open(url)
                return
            except SuspendNotSupported:
                pass
        self.run_worker(lambda: self._open(browser, url), thread=True, group="browser")

    def _open(self, browser: webbrowser.BaseBrowser, url: str) -> None:
        try:
            opened = browser.open(url)
        except Exception as exc:  # noqa: BLE001 - whatever the browser does, the reader goes on
            self.call_from_thread(self.notify, f"Could not open the browser: {exc}", severity="error", markup=False)
            return
        if not opened:
            self.call_from_thread(self.notify, "The browser did not open the link.", severity="warning", markup=False)


def build_app(paths: Paths, config: Config, store: Store, fetcher: Fetcher | None = None) -> NewswireApp:
    """The app the `newswire` command runs; tests and benchmarks build theirs here too.

    Raises ConfigError (file, line and key) when `[keys]` names an unknown binding or gives one
    action a key another action already uses.
    """
    problem = check_keys(config.keys)
    if problem is not None:
        ident, message = problem
        raise config_error(config.path, "keys", ident, message)
    return NewswireApp(paths, config, store, fetcher)
