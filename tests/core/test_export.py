"""Saving articles: Markdown with front matter, text, JSON; safe unique names; atomic writes."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.core import schema
from tui.core.article.export import (
    body_markdown,
    safe_stem,
    save_article,
    write_new_file,
)
from tui.core.models import Article, Block, Place, Quote, Reading

ARTICLE = Article(
    title="Ferry strike ends in Lisbon",
    standfirst="Unions accepted the offer after three days.",
    byline="Ana Ribeiro",
    published=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    url="https://example.org/ferry",
    blocks=(
        Block("paragraph", "LISBON — Ferries resumed on Friday."),
        Block("heading", "What changes", level=2),
        Block("list_item", "Night crossings return"),
        Block("list_item", "Fares stay the same"),
        Block("blockquote", "We are glad to be back."),
        Block("paragraph", "# not a heading, 1. not a list"),
    ),
)


def test_markdown_has_front_matter_and_structure(tmp_path: Path) -> None:
    quotes = [Quote("We are glad to be back.", "Rui Costa", 0, 10)]
    places = [Place("Lisbon", "city", "PT", "Portugal", 38.72, -9.14)]
    path = save_article(ARTICLE, tmp_path, "markdown", quotes=quotes, places=places)
    text = path.read_text()
    assert path.name == "ferry-strike-ends-in-lisbon.md"
    head, body = text.split("---\n", 2)[1:]
    assert 'title: "Ferry strike ends in Lisbon"' in head
    assert 'url: "https://example.org/ferry"' in head and 'byline: "Ana Ribeiro"' in head
    assert 'published: "2026-11-20T09:30:00+00:00"' in head and "saved_at:" in head
    assert '  - text: "We are glad to be back."\n    speaker: "Rui Costa"' in head
    assert '  - name: "Lisbon"\n    kind: "city"\n    country: "PT"' in head
    assert "# Ferry strike ends in Lisbon" in body and "## What changes" in body
    assert "- Night crossings return\n- Fares stay the same" in body
    assert "> We are glad to be back." in body
    assert "\\# not a heading, 1. not a list" in body


def test_text_and_json(tmp_path: Path) -> None:
    txt = save_article(ARTICLE, tmp_path, "text").read_text()
    assert txt.startswith("Ferry strike ends in Lisbon\n====")
    # Where it comes from, as newsboat's saved articles say it.
    head = txt.split("\n\n")[0].splitlines()
    assert head[2:] == ["Author: Ana Ribeiro", "Date: 2026-11-20T09:30:00+00:00", "Link: https://example.org/ferry"]
    assert "LISBON — Ferries resumed on Friday." in txt and "---" not in txt
    data = json.loads(save_article(ARTICLE, tmp_path, "json").read_text())
    assert data["title"] == ARTICLE.title and data["text"] == ARTICLE.text


def test_never_overwrites(tmp_path: Path) -> None:
    paths = [save_article(ARTICLE, tmp_path, "markdown") for _ in range(3)]
    assert [p.name for p in paths] == [
        "ferry-strike-ends-in-lisbon.md",
        "ferry-strike-ends-in-lisbon-2.md",
        "ferry-strike-ends-in-lisbon-3.md",
    ]
    assert all(p.read_text().startswith("---") for p in paths)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


@pytest.mark.parametrize(
    "title",
    ["../../etc/passwd", "CON", "nul.txt", "x" * 1000, "🦊🦊🦊", "", "   ", "a/b\\c:d*e?f", ".hidden", "\x1b[31mred"],
)
def test_hostile_titles_give_safe_names_inside_the_directory(tmp_path: Path, title: str) -> None:
    stem = safe_stem(title)
    assert stem and "/" not in stem and "\\" not in stem and not stem.startswith(".")
    assert len(stem) <= 80 and stem.split(".")[0].lower() not in {"con", "nul", "prn", "aux"}
    path = write_new_file(tmp_path, stem, "md", b"x")
    assert path.parent == tmp_path and path.read_bytes() == b"x"


def test_cache_roundtrip() -> None:
    assert schema.article_from_dict(json.loads(json.dumps(schema.article_to_dict(ARTICLE)))) == ARTICLE
    quote = Quote("We are back at work", "Ana Ribeiro", 10, 29, partial=True)
    place = Place("Lisbon", "city", "PT", "Portugal", 38.7, -9.1, 2, ("Lisbon",), ((1, 7), (40, 46)))
    reading = Reading(ARTICLE, (quote,), (place,))
    assert schema.reading_from_json(schema.reading_to_json(reading)) == reading


def test_ordered_list_numbers() -> None:
    article = Article("t", blocks=(Block("list_item", "one", ordered=True), Block("list_item", "two", ordered=True)))
    assert body_markdown(article) == "1. one\n2. two"


def test_unwritable_directory_raises_oserror(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    target = root / "file-not-dir"
    target.write_text("")
    with pytest.raises(OSError):
        save_article(ARTICLE, target, "markdown")
    assert os.listdir(root) == ["file-not-dir"]
