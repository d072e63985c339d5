"""Language: quotes (who said what), places (a gazetteer of countries, regions and cities), lexicon (word lists).

Public names load on first use, so importing this package is free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.lazy import exports

if TYPE_CHECKING:
    from tui.core.language.places import Gazetteer as Gazetteer
    from tui.core.language.places import extract_places as extract_places
    from tui.core.language.places import load_gazetteer as load_gazetteer
    from tui.core.language.places import open_gazetteer as open_gazetteer
    from tui.core.language.quotes import extract_quotes as extract_quotes

_WHERE = {
    "open_gazetteer": "places",
    "Gazetteer": "places",
    "extract_places": "places",
    "load_gazetteer": "places",
    "extract_quotes": "quotes",
}

__all__ = sorted(_WHERE)
__getattr__ = exports(__name__, _WHERE)
