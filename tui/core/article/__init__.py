"""Articles: decode (bytes → text) → locate (readability-lxml, the block walk) → boilerplate (rules) → export.

Public names load on first use (lxml and readability are heavy), so importing this package is free.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.article.export import FORMATS, article_markdown, article_text, body_markdown, save_article
    from tui.core.article.locate import (
        MAX_BYTES,
        article_from_text,
        extract_article,
        extract_fragment,
        extract_text,
        is_summary,
    )

_WHERE = {
    "FORMATS": "export",
    "article_markdown": "export",
    "article_text": "export",
    "body_markdown": "export",
    "save_article": "export",
    "MAX_BYTES": "locate",
    "article_from_text": "locate",
    "extract_article": "locate",
    "extract_fragment": "locate",
    "extract_text": "locate",
    "is_summary": "locate",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
