"""The one table of actions: id, key, description, scope; it makes the bindings, footer, help and palette."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from textual.binding import Binding, BindingType

from tui.core.records import Record, record

__all__ = [
    "ACTIONS",
    "Action",
    "Scope",
    "bindings",
    "by_id",
    "check_keys",
    "palette_actions",
    "split_keys",
]

# Where an action's key works: "main" anywhere on the main screen; the others only while that
# widget has focus ("list" the entries, "feeds" the feeds pane, "reader" the article, "sidebar"
# the quotes and places lists); "help" on the help screen; "filter" in the filter prompt;
# "downloads" in the downloads view; "diff" in the what-changed view.
Scope = Literal["main", "list", "feeds", "reader", "sidebar", "help", "filter", "downloads", "diff"]
# Widget scopes all sit inside the main screen, so a main key shadows or is shadowed by theirs.
_PANES: frozenset[Scope] = frozenset({"list", "feeds", "reader", "sidebar"})


@record
class Action(Record):
    """One thing a user can do.

    `id` is the name to remap in `[keys]` and the Textual action run (unless `action` says
    otherwise); `footer` is the short label when the footer shows it; `palette` the "noun: verb"
    command name when the command palette offers it.
    """

    id: str
    key: str
    description: str
    scopes: tuple[Scope, ...] = ("main",)
    footer: str = ""
    palette: str = ""
    action: str = ""

    @property
    def run(self) -> str:
        return self.action or self.id


# The views over the main screen move with the same keys (their list, or their scrolled text).
_MOVING: tuple[Scope, ...] = ("list", "feeds", "reader", "sidebar", "help", "downloads", "diff")

ACTIONS: tuple[Action, ...] = (
    # Moving: each pane does what the key means for it (a cursor moves, an article scrolls).
    Action("down", "j", "Move down / scroll down", _MOVING),
    Action("up", "k", "Move up / scroll up", _MOVING),
    Action("top", "g", "Go to the top", _MOVING),
    Action("bottom", "G", "Go to the bottom", _MOVING),
    Action("open", "enter", "Open the article (or the feed, the quote, the place)", ("list", "feeds", "sidebar")),
    Action("next_article", "J", "Next article", palette="article: next"),
    Action("previous_article", "K", "Previous article", palette="article: previous"),
    Action("next_unread", "n", "Open the next unread article", palette="article: next unread"),
    Action("previous_unread", "N,p", "Open the previous unread article", palette="article: previous unread"),
    # The chosen article.
    Action("open_browser", "o", "Open the article's page in the browser", palette="article: open in browser"),
    Action("save", "s", "Save the cleaned article to a file", footer="Save", palette="article: save"),
    Action("toggle_read", "m", "Mark the article read / unread", palette="article: toggle read"),
    Action("toggle_star", "f", "Star / unstar the article", palette="article: toggle star"),
    Action("copy_link", "y", "Copy the article's link", palette="article: copy link"),
    # The list.
    Action("mark_feed_read", "A", "Mark every listed article read (feeds pane: the highlighted feed's)",
           palette="feed: mark read"),
    Action("undo", "U", "Undo the last mark-all-read", palette="feed: undo mark read"),
    Action("refresh_feed", "r", "Refresh the shown feed, or the one highlighted in the feeds pane", palette="feed: refresh"),
    Action("refresh_all", "R", "Refresh all feeds", footer="Refresh", palette="feed: refresh all"),
    Action("search", "slash", "Search titles and article text", footer="Search", palette="view: search"),
    Action("unread_only", "u", "List only unread articles (toggle)", footer="Unread", palette="view: unread only"),
    Action("show_all", "", "List every article", palette="view: all articles"),
    Action("show_starred", "", "List starred articles", palette="view: starred"),
    Action("filter", "F", "Filter the list by an expression (newsboat's filter language)", palette="view: filter"),
    Action("clear_filter", "", "Show the list without its filter", palette="view: clear filter"),
    # Enclosures (podcasts) of the chosen article.
    Action("play_enclosure", "e", "Play the article's enclosure with the configured player", palette="enclosure: play"),
    Action("download_enclosure", "d", "Download the article's enclosure", palette="enclosure: download"),
    Action("show_downloads", "D", "Show the downloads and their progress", palette="downloads: show"),
    # Stories: one wire story carried by several outlets.
    Action("toggle_stories", "S", "List one row per story, its copies across outlets collapsed (toggle)",
           palette="stories: toggle"),
    Action("next_copy", "c", "Read the next copy of the story (another outlet)", palette="story: next copy"),
    Action("what_changed", "w", "What changed: this copy against another outlet's, or between versions",
           palette="story: what changed"),
    # The view.
    Action("toggle_sidebar", "i,b", "Show / hide quotes and places", footer="Sidebar", palette="view: toggle sidebar"),
    Action("next_theme", "t", "Switch to the next theme (saved)", palette="theme: next", action="app.next_theme"),
    Action("focus_next", "tab", "Focus the next pane", action="app.focus_next"),
    Action("focus_previous", "shift+tab", "Focus the previous pane", action="app.focus_previous"),
    Action("help", "question_mark", "Show every key", footer="Help", palette="view: help"),
    Action("back", "q", "Back one level (article, search, feed); quit from the top", footer="Back"),
    Action("close", "escape", "Back one level; cancel a loading page; nothing at the top"),
    Action("help_close", "escape,q,question_mark", "Close this help", ("help",), action="dismiss"),
    Action("filter_older", "up", "Filter prompt: the previous expression from the history", ("filter",),
           action="history(-1)"),
    Action("filter_newer", "down", "Filter prompt: the next expression from the history", ("filter",),
           action="history(1)"),
    Action("filter_cancel", "escape", "Filter prompt: close it, keeping the list as it was", ("filter",),
           action="cancel"),
    Action("downloads_close", "escape,q,D", "Close the downloads view", ("downloads",), action="dismiss"),
    Action("downloads_retry", "r", "Downloads view: retry the chosen failed download (resumes)", ("downloads",),
           action="retry"),
    Action("diff_close", "escape,q", "Close the what-changed view", ("diff",), action="dismiss"),
)

_BY_ID = {action.id: action for action in ACTIONS}


def by_id(ident: str) -> Action:
    return _BY_ID[ident]


def bindings(scope: Scope) -> list[BindingType]:
    """The Textual bindings of `scope`; each has its action's id, so `[keys]` can remap it."""
    return [
        Binding(action.key, action.run, action.footer or action.description, show=bool(action.footer),
                id=action.id, tooltip=action.description)
        for action in ACTIONS
        if scope in action.scopes and action.key
    ]


def palette_actions() -> list[Action]:
    """Actions the command palette offers, in table order."""
    return [action for action in ACTIONS if action.palette]


def split_keys(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",") if key.strip()]


def _overlap(first: Iterable[Scope], second: Iterable[Scope]) -> bool:
    a, b = set(first), set(second)
    if a & b:
        return True
    # A main-screen key is live whatever pane has focus.
    return ("main" in a and bool(b & _PANES)) or ("main" in b and bool(a & _PANES))


def check_keys(keys: Mapping[str, str]) -> tuple[str, str] | None:
    """The first problem with a `[keys]` table as (binding id, message), or None when it is usable.

    An id must name a bindable action; a key must not be left to two actions that are live at
    the same time (`save = "j"` would take `j` from `down`).
    """
    for ident in keys:
        action = _BY_ID.get(ident)
        if action is None or not action.key:
            known = ", ".join(sorted(a.id for a in ACTIONS if a.key))
            return ident, f"unknown binding id (known: {known})"
    effective = {a.id: split_keys(keys.get(a.id, a.key)) for a in ACTIONS if a.key}
    for ident in keys:
        mine = _BY_ID[ident]
        for other in ACTIONS:
            if other.id == ident or other.id not in effective or not _overlap(mine.scopes, other.scopes):
                continue
            taken = set(effective[ident]) & set(effective[other.id])
            if taken:
                key = sorted(taken)[0]
                return ident, f"key {key!r} is already bound to {other.id!r} (remap {other.id!r} too, or pick another key)"
    return None
