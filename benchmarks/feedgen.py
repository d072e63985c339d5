"""Synthetic RSS 2.0 feeds for benchmarks: realistic size and markup, deterministic per seed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

_WORDS = (
    "council river market bridge harbour library weather season report budget school road "
    "village minister election hospital railway station museum festival court police farmer "
    "storm flood summer winter project plan vote growth energy water housing transport local "
    "national city county district residents officials announced expected said according week "
    "month year new old public private the a of and to in on for with by at from that this"
).split()


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, host: str) -> str:
    text = " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 4)))
    if rng.random() < 0.5:
        word = rng.choice(_WORDS)
        text += f' <a href="https://{host}/tag/{word}">More on {word}</a>.'
    if rng.random() < 0.2:
        text += f' <img src="https://{host}/img/{rng.randint(1, 999)}.jpg" alt="photo">'
    return f"<p>{text}</p>"


def make_rss(seed: int, items: int = 25, host: str = "news.example.com", min_words: int = 0) -> bytes:
    """An RSS 2.0 feed of about 1.3 KB per item, with content:encoded HTML.

    `min_words`: paragraphs are added to an item until its content has that many words (0: the
    2–4 paragraphs drawn, some of them short enough to count as a teaser).
    """
    rng = random.Random(seed)
    start = datetime(2024, 6, 1, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
        f"<title>Feed {seed}</title><link>https://{host}/</link>",
        f"<description>{escape(_sentence(rng, 10))}</description>",
    ]
    for i in range(items):
        when = start - timedelta(hours=i * 3 + seed)
        paragraphs = [_paragraph(rng, host) for _ in range(rng.randint(2, 4))]
        while min_words and sum(len(p.split()) for p in paragraphs) < min_words:
            paragraphs.append(_paragraph(rng, host))
        body = "".join(paragraphs)
        parts.append(
            "<item>"
            f"<title>{escape(_sentence(rng, 7))}</title>"
            f"<link>https://{host}/{seed}/story-{i}</link>"
            f'<guid isPermaLink="false">{host}-{seed}-{i}</guid>'
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<dc:creator>{escape(rng.choice(_WORDS).title())} {escape(rng.choice(_WORDS).title())}</dc:creator>"
            f"<description>{escape(_sentence(rng, 20))}</description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            "</item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()
