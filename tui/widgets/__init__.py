"""Widgets of the Newswire app, one module each; and the reading of their Textual CSS (styles/*.tcss)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["APP_STYLES", "styles_dir", "widget_css"]

APP_STYLES = "app.tcss"  # the main screen's panes, read before the first frame


def styles_dir() -> Path:
    """The .tcss files: `tui/styles` inside a wheel, `styles/` at the top of a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "styles"
    return packaged if packaged.is_dir() else here.parent / "styles"


def widget_css(name: str) -> str:
    """The CSS of a screen or widget first shown after the first frame, for its DEFAULT_CSS.

    In the app's CSS_PATH, every rule is parsed before the first frame; the help, search, filter,
    downloads and what-changed screens' rules and the article's (~3 ms of CPU in all) are parsed
    when the screen first opens, or the first article shows. A screen's default CSS applies only
    within it (Textual scopes it); its rules name its widgets by id or class, more specific than
    the widgets' own defaults, so they win over them as before.
    """
    return (styles_dir() / f"{name}.tcss").read_text(encoding="utf-8")
