"""Bytes of a web page → text: BOM, then the declared charset (as browsers read it), then UTF-8."""

from __future__ import annotations

import codecs
import re

MAX_BYTES = 6_000_000  # a news page is rarely over 2 MB; past this, parsing and scoring get slow

__all__ = ["MAX_BYTES", "bytes_to_text", "decode_page"]

_CHARSET_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([a-zA-Z0-9_.:-]{1,40})""", re.I)
_BINARY = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def decode_page(data: str | bytes) -> tuple[str, str | None]:
    """(text, reason): bytes decoded by BOM, then declared charset, then UTF-8 with replacement."""
    if data is None or len(data) == 0:
        return "", "empty document"
    if len(data) > MAX_BYTES:
        return "", f"page too large ({len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:g} MB)"
    if isinstance(data, bytes):
        data = bytes_to_text(data)
    if not data.strip():
        return "", "empty document"
    head = data[:4096]
    if len(_BINARY.findall(head)) > max(8, len(head) // 50):
        return "", "not HTML"
    return data, None


def bytes_to_text(data: bytes) -> str:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                     (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    head = data[:4096]
    m = _XML_DECL.search(head) or _CHARSET_META.search(head)
    if m:
        try:
            enc = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            enc = "utf-8"
        # browsers read these labels as windows-1252; so must we, or curly quotes turn to controls
        if enc in ("latin-1", "iso8859-1", "ascii"):
            enc = "cp1252"
        if enc.startswith("utf-16") or enc.startswith("utf-32"):
            enc = "utf-8"  # a declared UTF-16 page without a BOM was transcoded on the way
        return data.decode(enc, errors="replace")
    return data.decode("utf-8", errors="replace")
