"""Screens of the Newswire app, one module each."""

from __future__ import annotations

from pathlib import Path

__all__ = ["APP_STYLES", "screen_css", "styles_dir"]

APP_STYLES = "app.tcss"  # the main screen's panes, read before the first frame


def styles_dir() -> Path:
    """The .tcss files: `tui/styles` inside a wheel, `styles/` at the top of a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "styles"
    return packaged if packaged.is_dir() else here.parent / "styles"


def screen_css(name: str) -> str:
    """The CSS of a screen opened on demand (help, search…), for its DEFAULT_CSS: read with its module.

    In the app's CSS_PATH, every screen's rules were parsed before the first frame (~2 ms of CPU
    for the five); as a screen's default CSS they are parsed when it first opens, and apply to
    nothing but it (Textual scopes a widget's default CSS to it). Its rules name its own widgets
    by id, so they win over the widgets' own defaults as before.
    """
    return (styles_dir() / f"{name}.tcss").read_text(encoding="utf-8")
