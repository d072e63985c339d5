"""Articles: decode (bytes → text) → locate (readability-lxml, the block walk) → boilerplate (rules) → export.

Public names load on first use (lxml and readability are heavy), so importing this package is free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.lazy import exports

if TYPE_CHECKING:
    from tui.core.article.export import FORMATS as FORMATS
    from tui.core.article.export import article_markdown as article_markdown
    from tui.core.article.export import article_text as article_text
    from tui.core.article.export import body_markdown as body_markdown
    from tui.core.article.export import own_earlier_file as own_earlier_file
    from tui.core.article.export import save_article as save_article
    from tui.core.article.locate import MAX_BYTES as MAX_BYTES
    from tui.core.article.locate import article_from_text as article_from_text
    from tui.core.article.locate import extract_article as extract_article
    from tui.core.article.locate import extract_fragment as extract_fragment
    from tui.core.article.locate import extract_text as extract_text
    from tui.core.article.teaser import is_summary as is_summary

_WHERE = {
    "own_earlier_file": "export",
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
    "is_summary": "teaser",
}

__all__ = sorted(_WHERE)
__getattr__ = exports(__name__, _WHERE)
