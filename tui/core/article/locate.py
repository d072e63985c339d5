"""HTML (a web page or a feed entry's content) or plain text → a clean Article, via readability-lxml and our rules.

Bad input never raises: an empty, binary, oversized or article-less document gives an empty
Article whose `reason` says why ("empty document", "not HTML", "page too large",
"no article text found").
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime

import lxml.html
from lxml import etree
from readability import Document

from tui.core.article import boilerplate
from tui.core.article.boilerplate import Candidate
from tui.core.article.decode import MAX_BYTES, decode_page
from tui.core.article.teaser import DROP_TAGS as _DROP_TAGS
from tui.core.article.teaser import FURNITURE as _FURNITURE
from tui.core.article.teaser import MARKUP as _TAG
from tui.core.article.teaser import class_words
from tui.core.models import Article, Block, BlockKind
from tui.core.text import C0_IN_MARKUP, clean_line, clean_paragraph, normalize, strip_control

__all__ = [
    "MAX_BYTES",
    "article_from_text",
    "extract_article",
    "extract_fragment",
    "extract_text",
    "opening_words",
]

_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "
    "footer h1 h2 h3 h4 h5 h6 header hgroup hr html li main ol p pre section summary table tbody tfoot "
    "thead tr ul center".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_INLINE_TAGS = frozenset("a abbr b bdi cite em font i mark q s small span strong sub sup u".split())
_FURNITURE_MAX_CHARS = 400
_MAX_DEPTH = 60
_MARKED_MIN_CHARS = 200  # a marked "article body" shorter than this is a stub or a teaser
_ARTICLE_TYPE = re.compile(r"schema\.org/(?:\w*Article|BlogPosting|Report)\b", re.I)
_WORD = re.compile(r"\w+")
_PROSE_MIN_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…\"”’')]$")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CAPTION_TAGS = frozenset({"figcaption", "caption"})
_WS = re.compile(r"\s+")
_PARA_BREAK = re.compile(r"\s*\n\s*\n\s*")
_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " « ", " » ")
_BY = re.compile(r"^\s*(?:by|written by|posted by|story by)\s*:?\s+", re.I)


def extract_article(html: str | bytes, url: str | None = None, *, title_hint: str | None = None) -> Article:
    """Clean a whole web page: readability picks the story container, our rules remove the rest."""
    text, reason = decode_page(html)
    if reason:
        return Article(title=clean_line(title_hint), url=url, reason=reason)
    root = _parse(text)
    if root is None:
        return Article(title=clean_line(title_hint), url=url, reason="not HTML")
    meta = _metadata(root)
    _strip(root)
    _flatten(root)
    _product_boxes(root)
    _unwrap_paragraphs(root)
    marked = _marked_body(root)
    body = _summarise(root)
    if marked is not None and (body is None or _shared_share(marked, body) < 0.5):
        # readability preferred another region (a listing, a sidebar) to the one the page marks
        # as the story: the page's own markup wins
        page = lxml.html.document_fromstring("<html><body></body></html>")
        page.find("body").append(copy.deepcopy(marked))
        body = _summarise(page)
        if body is None:
            body = page
    if body is None:
        body = root.find("body") if root.find("body") is not None else root
    else:
        _restore_siblings(root, body)
    title = _choose_title(root, meta, title_hint)
    own = ""
    if title_hint and boilerplate.fold(title).rstrip(" .…") in boilerplate.fold(body.text_content()[:3000]):
        own = _choose_title(root, meta, None)  # the page's headline, should the feed's be no headline
    article = _build(copy.deepcopy(body) if own else body, title=title, url=url or meta.get("url"), meta=meta)
    if own and opening_words(title, article):
        # The feed's "title" is the opening words of the story cut short (feeds without real
        # headlines do this): the page's own headline is the one to show.
        return _build(body, title=own, url=url or meta.get("url"), meta=meta)
    return article


def opening_words(title: str, article: Article) -> bool:
    """Is `title` the first words of the article's first paragraph, and not all of it?

    Three words at least, or fewer cut at a full stop: feeds cut at the first one, which in a dateline
    is an abbreviation ("BUFFALO, N.Y.", "ST."); a short headline of the feed's own has none.
    """
    first = next((b.text for b in article.blocks if b.kind == "paragraph"), "")
    head, text = boilerplate.fold(title).rstrip(" .…"), boilerplate.fold(first)
    cut = len(head.split()) >= 3 or title.rstrip().endswith(".")
    return bool(head) and cut and text.startswith(head) and len(text) > len(head) + 1


def extract_fragment(html: str, *, title: str, url: str | None = None) -> Article:
    """Clean a feed entry's own content HTML: it is the article already, so no readability scoring."""
    text, reason = decode_page(html)
    if reason:
        return Article(title=clean_line(title), url=url, reason=reason)
    if not _TAG.search(text):
        return article_from_text(text, title=title)
    root = _parse(f"<html><body><div>{text}</div></body></html>")
    if root is None:
        return Article(title=clean_line(title), url=url, reason="not HTML")
    _strip(root)
    body = root.find("body")
    return _build(body if body is not None else root, title=clean_line(title), url=url, meta={})


def article_from_text(text: str, *, title: str | None = None) -> Article:
    """Clean plain text: paragraphs split on blank lines; the first line is the headline unless given."""
    text = clean_paragraph(text[: MAX_BYTES])
    paras = [p for p in _PARA_BREAK.split(text) if p.strip()]
    if title is None and paras:
        first, _, rest = paras[0].partition("\n")
        # A headline is short and is not a sentence; otherwise the text starts with its body.
        if _looks_like_headline(first):
            title = first.strip()
            paras = ([rest.strip()] if rest.strip() else []) + paras[1:]
    title = clean_line(title)
    cands = []
    for i, p in enumerate(paras):
        line = clean_line(p)
        headline_like = (
            len(line.split()) <= 14
            and not re.search(r"[.!?:;,…\"”)]$", line)
            and line[:1].isupper()
            and i + 1 < len(paras)
        )
        kind: BlockKind = "heading" if headline_like else "paragraph"
        cands.append(Candidate(Block(kind, p if kind == "paragraph" else line, level=2 if headline_like else 0)))
    return _finish(cands, title=title, url=None, meta={})


def _looks_like_headline(line: str) -> bool:
    line = clean_line(line)
    return 0 < len(line.split()) <= 25 and len(line) <= 200 and not re.search(r"[.!?;,…\"”]$", line)


def visible_text(fragment: str) -> str | None:
    """The text of an HTML fragment as the cleaner would see it (None when it does not parse)."""
    root = _parse(f"<html><body><div>{fragment}</div></body></html>")
    if root is None:
        return None
    _strip(root)
    return " ".join(root.itertext())


def extract_text(html: str, url: str | None = None) -> str:
    """HTML page → cleaned body text (standfirst and paragraphs, blank-line separated, no title)."""
    return extract_article(html, url).text


# --- decoding and parsing -------------------------------------------------------------------


# A numeric character reference to a C0 control other than tab and newlines (what `C0_IN_MARKUP` finds).
_CONTROL_REF = re.compile(
    r"&#(?:0*(?:[0-8]|1[1-9]|2[0-9]|3[01])(?![0-9])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])(?![0-9a-fA-F]))"
)


def _parse(text: str) -> lxml.html.HtmlElement | None:
    """Parse as UTF-8 bytes (str input with an XML encoding declaration would be refused).

    Control characters go, raw or decoded from references (&#x1b;): lxml keeps them in text
    nodes but refuses to set such text again, so removing an element beside one would raise.
    """
    try:
        root = lxml.html.document_fromstring(strip_control(text).encode("utf-8", errors="replace"), parser=_PARSER)
    except (etree.ParserError, ValueError, TypeError):
        return None
    if not _CONTROL_REF.search(text):
        return root  # raw control characters are gone already; only references could make new ones
    for el in root.iter():
        if el.text and C0_IN_MARKUP.search(el.text):
            el.text = strip_control(el.text)
        if el.tail and C0_IN_MARKUP.search(el.tail):
            el.tail = strip_control(el.tail)
    return root


def _strip(root: lxml.html.HtmlElement) -> None:
    """Remove what is never article text, and links whose targets could run code."""
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter("form")):
        # some sites wrap the whole page in one <form>: only small forms are widgets
        if el.getparent() is not None and _text_len(el, 600) < 600:
            el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if marks.strip() and el.tag not in ("html", "body", "p", "h1", "h2", "h3"):
            # camelCase names ("imageCaption", "authorBio") carry the same words as kebab-case ones
            if class_words(marks) & _FURNITURE and _text_len(el, _FURNITURE_MAX_CHARS) < _FURNITURE_MAX_CHARS:
                el.drop_tree()
                continue
        if el.tag == "blockquote":
            # readability deletes anything classed "tweet"/"twitter": an embedded post is a quotation
            el.attrib.pop("class", None)
            el.attrib.pop("id", None)
        if el.get("hidden") is not None or (el.get("aria-hidden") == "true" and not _text_len(el, 1)):
            if el.getparent() is not None:
                el.drop_tree()
            continue
        for attr in ("href", "src"):
            v = el.get(attr)
            if v and v.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                del el.attrib[attr]
    for img in list(root.iter("img")):
        _drop_hover_card(img)


def _drop_hover_card(img: lxml.html.HtmlElement) -> None:
    """Remove a hover card: a picture and several links tucked in a span inside running text.

    Pages show it only on hover (a person's or a term's card, with their latest stories), but
    as text it would splice headlines into the middle of a sentence.
    """
    el = img.getparent()
    while el is not None and el.tag in _INLINE_TAGS:
        if el.tag == "span" and sum(1 for a in el.iter("a") if a.text_content().strip()) >= 2:
            up = el.getparent()
            while up is not None and up.tag in _INLINE_TAGS:
                up = up.getparent()
            if up is not None and up.tag == "p":
                el.drop_tree()
            return
        el = el.getparent()


def _flatten(root: lxml.html.HtmlElement) -> None:
    """Unwrap chains of single-child wrappers when a page nests absurdly deep.

    Readability measures the text of every ancestor of every paragraph, so its cost grows with
    depth; ordinary pages stay well under the limit and are left alone.
    """
    depth = {root: 0}
    deepest = 0
    for el in root.iterdescendants():
        d = depth[el.getparent()] + 1
        depth[el] = d
        deepest = max(deepest, d)
    if deepest <= _MAX_DEPTH:
        return
    for el in list(root.iterdescendants()):
        parent = el.getparent()
        if (
            parent is not None
            and isinstance(el.tag, str)
            and el.tag in ("div", "span", "section", "article", "font", "b", "i", "center")
            and len(el) == 1
            and not (el.text or "").strip()
            and not (el[0].tail or "").strip()
        ):
            child = el[0]
            child.tail = el.tail
            parent.replace(el, child)


_PRICE = re.compile(r"^\W{0,3}(?:[$£€¥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:€|EUR|USD|GBP))\W{0,3}$")


def _marked(el: lxml.html.HtmlElement, word: str) -> bool:
    return word in class_words(el.get("class") or "")


def _product_boxes(root: lxml.html.HtmlElement) -> None:
    """A shopping post's product box (name and price, all links) becomes two plain paragraphs.

    Readability drops such boxes for their link density, which leaves the bullet list of features
    above each one without the product's name and price it describes.
    """
    for box in list(root.iter("div", "section", "aside", "figure")):
        if box.getparent() is None or not _marked(box, "product") or _text_len(box, 600) >= 600:
            continue
        names = [el for el in box.iter() if isinstance(el.tag, str) and el is not box
                 and (_marked(el, "title") or _marked(el, "name"))]
        prices = [el for el in box.iter() if isinstance(el.tag, str) and _marked(el, "price")
                  and _PRICE.match(clean_line(el.text_content()))]
        if not names or not prices:
            continue
        name, price = clean_line(names[0].text_content()), clean_line(prices[0].text_content())
        if not name or len(name) > 200:
            continue
        kept = lxml.html.fromstring("<div></div>")
        for text in (name, price):
            para = lxml.html.Element("p")
            para.text = text
            kept.append(para)
        kept.tail = box.tail
        box.getparent().replace(box, kept)


def _summarise(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """Readability's story container, or None when it gives up on an odd document."""
    try:
        summary = Document(root).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - readability fails on odd documents in many ways; the walk then uses the whole body
        return None
    return _parse(summary) if summary else None


def _marked_body(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element the page marks as its story (schema.org articleBody, or its one Article)."""
    typed = []
    for el in root.xpath("//*[@itemprop or @itemtype]"):
        if el.tag in ("html", "body"):
            continue  # markup on the whole page says nothing about where the story is
        if "articlebody" in (el.get("itemprop") or "").lower().split():
            if _text_len(el, _MARKED_MIN_CHARS) >= _MARKED_MIN_CHARS:
                return el
        elif _ARTICLE_TYPE.search(el.get("itemtype") or ""):
            typed.append(el)
    if len(typed) == 1 and _text_len(typed[0], _MARKED_MIN_CHARS) >= _MARKED_MIN_CHARS:
        return typed[0]
    return None  # several typed articles: a listing page, no clue which one is the story


def _shared_share(marked: lxml.html.HtmlElement, body: lxml.html.HtmlElement) -> float:
    """Share of the marked element's word 4-grams that readability's choice also holds."""
    def grams(el: lxml.html.HtmlElement) -> set[tuple[str, ...]]:
        words = _WORD.findall(" ".join(el.itertext()).casefold())
        return {tuple(words[i:i + 4]) for i in range(max(0, len(words) - 3))}

    want = grams(marked)
    return len(want & grams(body)) / len(want) if want else 1.0


def _restore_siblings(root: lxml.html.HtmlElement, body: lxml.html.HtmlElement) -> None:
    """Put back prose paragraphs that sit right beside kept ones in the page but were dropped.

    Readability judges a paragraph beside its chosen container by the text before the
    paragraph's first inline element, so one that opens with a link, a bold dateline or a
    <cite> within its first 80 characters is lost, often the story's first paragraph.
    """
    kept: dict[str, lxml.html.HtmlElement] = {}
    for el in body.iter("p"):
        kept.setdefault(_key(el), el)
    kept.pop("", None)
    if not kept:
        return
    paras = [p for p in root.iter("p") if _key(p) not in kept]
    for forward in (True, False):
        for p in paras if forward else reversed(paras):
            key = _key(p)
            if key in kept or not _is_prose(p, key):
                continue
            near = p.getprevious() if forward else p.getnext()
            if near is None:
                continue
            # before the story's container a paragraph is its lead; after it, usually end matter
            anchor = kept.get(_key(near)) if forward else _first_kept(near, kept)
            if anchor is None:
                continue
            twin = copy.deepcopy(p)
            twin.tail = None
            if forward:
                anchor.addnext(twin)
            else:
                anchor.addprevious(twin)
            kept[key] = twin


def _first_kept(near: lxml.html.HtmlElement, kept: dict[str, lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The kept paragraph that is `near`, or the first kept one inside it."""
    for el in near.iter("p", "div"):
        twin = kept.get(_key(el))
        if twin is not None:
            return twin
    return None


def _key(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split()) if isinstance(el.tag, str) else ""


def _is_prose(p: lxml.html.HtmlElement, text: str) -> bool:
    """A sentence-ending paragraph of several words, mostly not link text."""
    if len(text.split()) < _PROSE_MIN_WORDS or not _SENTENCE_END.search(text):
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in p.iter("a"))
    return linked < 0.5 * len(text)


def _unwrap_paragraphs(root: lxml.html.HtmlElement) -> None:
    """Lift a paragraph out of wrappers that hold nothing else.

    Readability judges each <div> by its link density: a short paragraph with one inline link,
    alone in its own wrapper (as card-based CMSs emit every paragraph), would be dropped as a
    link box. As a bare <p> it is only ever scored, never cleaned away.
    """
    for p in list(root.iter("p")):
        el = p
        parent = el.getparent()
        while (
            parent is not None
            and parent.tag in ("div", "section")
            and len(parent) == 1
            and not (parent.text or "").strip()
            and not (el.tail or "").strip()
            and parent.getparent() is not None
        ):
            el.tail = parent.tail
            parent.getparent().replace(parent, el)
            parent = el.getparent()


def _text_len(el: lxml.html.HtmlElement, cap: int) -> int:
    n = 0
    for t in el.itertext():
        n += len(t.strip())
        if n >= cap:
            break
    return n


# --- metadata ---------------------------------------------------------------------------------


def _metadata(root: lxml.html.HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    head = root.find("head")
    for el in (head if head is not None else root).iter("meta", "link", "title"):
        if el.tag == "title":
            meta.setdefault("html_title", el.text_content())
            continue
        if el.tag == "link":
            rel = (el.get("rel") or "").lower()
            if rel == "canonical" and el.get("href"):
                meta.setdefault("url", el.get("href"))
            continue
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower().strip()
        content = el.get("content")
        if not key or not content:
            continue
        if key in ("og:title", "twitter:title"):
            meta.setdefault("og_title", content)
        elif key == "og:site_name":
            meta.setdefault("site_name", content)
        elif key in ("author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author"):
            if not content.startswith("http"):
                meta.setdefault("author", content)
        elif key in ("article:published_time", "datepublished", "pubdate", "publishdate", "date",
                     "dc.date.issued", "dc.date", "og:published_time", "sailthru.date", "parsely-pub-date"):
            meta.setdefault("published", content)
        elif key in ("og:url",):
            meta.setdefault("url", content)
    for script in root.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            _json_ld(script.text, meta)
    if "published" not in meta:
        for t in root.iter("time"):
            if t.get("datetime"):
                meta["published"] = t.get("datetime")
                break
    if "author" not in meta:
        for a in root.iter("a"):
            if "author" in (a.get("rel") or "").lower().split():
                name = clean_line(a.text_content())
                if name:
                    meta["author"] = name
                    break
    marked_byline = _byline_markup(root) if "author" not in meta else None
    if marked_byline:
        meta["byline_markup"] = marked_byline  # weaker than a "By …" line in the story itself
    return meta


# Common byline markup: class or id naming a byline, or schema.org's author property.
_BYLINE_XPATH = (
    "//*[contains(translate(@class, 'BYLINE', 'byline'), 'byline') or contains(translate(@id, 'BYLINE', 'byline'), "
    "'byline') or @itemprop = 'author' or contains(concat(' ', @class, ' '), ' author ')]"
)


def _byline_markup(root: lxml.html.HtmlElement) -> str | None:
    """The names in the page's byline element ("By LISA MASCARO and ERIC TUCKER"), innermost first."""
    try:
        found = root.xpath(_BYLINE_XPATH)
    except etree.XPathError:
        return None
    for el in found[:20]:
        name = None
        for node in el.iter():  # document order: the last match is the innermost ("By …" without the title)
            if not isinstance(node.tag, str):
                continue
            text = clean_line(" ".join(node.itertext()))
            if 3 <= len(text) <= 120 and not _TERMINAL_PUNCT.search(text) and (
                _BY.match(text) or node.get("itemprop") == "author"
            ):
                name = _BYLINE_TAIL.sub("", _BY.sub("", text))
        if name:
            return name
    return None


# What follows the names in a byline element: a separator, a date or time, "Updated…", "Print".
_BYLINE_TAIL = re.compile(
    r"\s*(?:[|•·]|\b(?:updated|published|posted|print this)\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d|\d).*$",
    re.I,
)


# "(CNN)President …": a source tag in its own inline element, its space lost with the markup.
_GLUED_DATELINE = re.compile(r"^(\([A-Z][\w .&-]{1,24}\))(?=[A-Z][a-z])")
_TERMINAL_PUNCT = re.compile(r"[.!?]\s*$|[.!?]\s+[A-Z]")
_SHOUTED_WORD = re.compile(r"\b[A-Z][A-Z'’.-]*[A-Z]\b")


def unshout(name: str) -> str:
    """'LISA MASCARO and ERIC TUCKER' → 'Lisa Mascaro and Eric Tucker'; mixed-case names are kept."""
    if sum(len(w) >= 3 for w in _SHOUTED_WORD.findall(name)) < 2:
        return name  # one word in capitals is an agency or a call sign (PTI, RT, KWCH), not a shouted name

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if w in ("AP", "AFP", "BBC", "CNN", "UPI", "NPR"):
            return w
        return re.sub(r"[A-Za-z]+", lambda p: p.group(0).capitalize(), w.lower())

    text = _SHOUTED_WORD.sub(word, name)
    return re.sub(r"\b(And|Of)\b(?!$)", lambda m: m.group(0).lower() if m.start() else m.group(0), text)


def _json_ld(raw: str, meta: dict[str, str]) -> None:
    try:
        data = json.loads(raw[:500_000])
    except ValueError:
        return
    stack = [data]
    seen = 0
    while stack and seen < 500:
        node = stack.pop()
        seen += 1
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and (t.endswith("Article") or t in ("BlogPosting", "Report")) for t in types):
            if isinstance(node.get("headline"), str):
                meta.setdefault("ld_headline", node["headline"])
            if isinstance(node.get("datePublished"), str):
                meta.setdefault("published", node["datePublished"])
            author = node.get("author")
            names = []
            for a in author if isinstance(author, list) else [author]:
                if isinstance(a, dict) and isinstance(a.get("name"), str):
                    names.append(a["name"])
                elif isinstance(a, str):
                    names.append(a)
            if names:
                meta.setdefault("author", ", ".join(names))
            pub = node.get("publisher")
            if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                meta.setdefault("site_name", pub["name"])
        if "@graph" in node:
            stack.append(node["@graph"])


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    value = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value)
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        m = re.match(r"\d{4}-\d{2}-\d{2}", value)
        if not m:
            return None
        dt = datetime.fromisoformat(m.group(0))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _choose_title(root: lxml.html.HtmlElement, meta: dict[str, str], hint: str | None) -> str:
    """The headline without the site name: the feed's title, else an h1 the page title contains."""
    if hint and clean_line(hint):
        return _strip_site(clean_line(hint), meta.get("site_name"))
    raw = clean_line(meta.get("og_title") or meta.get("html_title") or meta.get("ld_headline") or "")
    h1s = [clean_line(h.text_content()) for h in list(root.iter("h1"))[:6]]
    h1s = [h for h in h1s if len(h.split()) >= 2]
    if raw:
        folded = boilerplate.fold(raw)
        inside = [h for h in h1s if boilerplate.fold(h) in folded]
        if inside:
            return max(inside, key=len)
        return _strip_site(raw, meta.get("site_name"))
    if meta.get("ld_headline"):
        return clean_line(meta["ld_headline"])
    return h1s[0] if h1s else ""


def _strip_site(title: str, site: str | None) -> str:
    """Drop a " | Site" / " - Site" suffix (or prefix) from a page title."""
    site_f = boilerplate.fold(site) if site else None
    for sep in _SITE_SEPARATORS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        if (site_f and boilerplate.fold(tail) == site_f) or (len(tail.split()) <= 3 and len(head.split()) >= 3):
            return head.strip()
        first, _, rest = title.partition(sep)
        if site_f and boilerplate.fold(first) == site_f:
            return rest.strip()
    return title


# --- the block walk ---------------------------------------------------------------------------


def _walk(root: lxml.html.HtmlElement) -> list[Candidate]:
    """The body as blocks, in document order, without recursion (deep pages cannot overflow)."""
    out: list[Candidate] = []
    buf: list[str] = []
    link_chars = 0
    stack: list[str] = []  # tags of the open elements
    in_link = 0
    link_count = 0

    def flush() -> None:
        nonlocal link_chars, link_count
        raw = "".join(buf)
        buf.clear()
        lc, nl = link_chars, link_count
        link_chars = link_count = 0
        raw = raw.replace("\u00a0", " ")
        if not raw.strip():
            return
        kind, level, ordered, caption = _context(stack)
        for part in raw.split("\n\n"):
            text = clean_paragraph("\n".join(_WS.sub(" ", ln) for ln in part.split("\n")))
            if not text:
                continue
            if kind != "paragraph" or ("\n" in text and len(text) < 200):
                text = clean_line(text)
            text = _GLUED_DATELINE.sub(r"\1 ", text)
            total = max(1, len(_WS.sub("", raw)))
            share = min(1.0, lc / total)
            out.append(Candidate(Block(kind, text, level, ordered), share, caption, nl == 1 and share > 0.9,
                                 row="tr" in stack, nlinks=nl))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                flush()
            stack.append(tag)
            if tag == "pre":
                code = normalize(el.text_content()).strip("\n")
                if code.strip():
                    out.append(Candidate(Block("code", code)))
                walker.skip_subtree()
                continue
            if tag == "a":
                in_link += 1
                link_count += 1
            if tag == "br":
                buf.append("\n")
            elif tag in _CELL_TAGS:
                buf.append(" ")
            elif tag == "hr":
                flush()
            if el.text and tag not in ("br", "img"):
                buf.append(el.text)
                if in_link:
                    link_chars += len(_WS.sub("", el.text))
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if stack:
                stack.pop()
            if tag == "a":
                in_link -= 1
            if el.tail:
                buf.append(el.tail)
                if in_link:
                    link_chars += len(_WS.sub("", el.tail))
    flush()
    return out


def _context(stack: list[str]) -> tuple[BlockKind, int, bool, bool]:
    """(kind, level, ordered, caption) of text under these open elements."""
    caption = any(t in _CAPTION_TAGS for t in stack)
    for i in range(len(stack) - 1, -1, -1):
        t = stack[i]
        if t in _HEADINGS:
            return "heading", _HEADINGS[t], False, caption
        if t == "li":
            lists = [x for x in stack[:i] if x in ("ul", "ol")]
            ordered = bool(lists) and lists[-1] == "ol"
            quoted = "blockquote" in stack[:i]
            return ("blockquote" if quoted else "list_item"), max(1, len(lists)), ordered, caption
        if t == "blockquote":
            return "blockquote", 0, False, caption
        if t == "figure" and not caption:
            caption = True
    return "paragraph", 0, False, caption


def _build(body: lxml.html.HtmlElement, *, title: str, url: str | None, meta: dict[str, str]) -> Article:
    return _finish(_walk(body), title=title, url=url, meta=meta)


def _finish(cands: list[Candidate], *, title: str, url: str | None, meta: dict[str, str]) -> Article:
    cleaned = boilerplate.clean_blocks(cands, title=title)
    byline = clean_line(meta.get("author") or cleaned.byline or meta.get("byline_markup") or "") or None
    if byline:
        byline = unshout(_BY.sub("", byline))
    article = Article(
        title=title,
        blocks=tuple(cleaned.blocks),
        standfirst=clean_line(cleaned.standfirst) or None,
        byline=byline,
        published=_parse_date(meta.get("published")),
        url=clean_line(url) or None,
        site_name=clean_line(meta.get("site_name")) or None,
        reason=None if cleaned.blocks else "no article text found",
        removed=tuple((cat, clean_line(text)) for cat, text in cleaned.removed),
    )
    return article
