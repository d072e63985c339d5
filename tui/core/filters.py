"""The newsboat-compatible filter language: tokenizer, recursive-descent parser and one evaluator."""

from __future__ import annotations

import operator
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

if TYPE_CHECKING:
    from tui.core.models import Entry
    from tui.core.store import Store

__all__ = [
    "ATTRIBUTES",
    "OPERATORS",
    "And",
    "Comparison",
    "Expr",
    "Filter",
    "FilterError",
    "Or",
    "QueryFeed",
    "Record",
    "Value",
    "compile_filter",
    "describe_attributes",
    "filter_entries",
    "filter_ids",
    "parse_filter",
    "query_feeds",
]

# A record is what a filter looks at: a mapping of raw column values (a sqlite3.Row from the
# store, or a dict built from a freshly parsed entry). Keys: title, link, author, summary, content,
# guid, published, fetched_at (ISO text), read, starred (0/1), feed_title, feed_url, site_url,
# tags ("\x1f"-joined), enclosure_url, enclosure_type, unread_count, total_count (the feed's).
Record: TypeAlias = "Mapping[str, object] | Sequence[object] | sqlite3.Row"
R = TypeVar("R", bound=Record)


OPERATORS = ("=", "==", "!=", "=~", "!~", "<", ">", "<=", ">=", "#", "!#", "between")
_SEP = "\x1f"


class FilterError(ValueError):
    """An expression that cannot be used; the message names the column (1-based) of the problem."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at {column}")
        self.reason = message
        self.column = column


# -- syntax tree ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Value:
    """A literal: a quoted string, a number, or a range `low:high` (for `between`)."""

    text: str
    kind: Literal["string", "number", "range"] = "string"
    column: int = 0

    def source(self) -> str:
        if self.kind == "string":
            return '"' + self.text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return self.text


@dataclass(frozen=True, slots=True)
class Comparison:
    attribute: str
    op: str
    value: Value
    column: int = 0

    def source(self) -> str:
        return f"{self.attribute} {self.op} {self.value.source()}"


@dataclass(frozen=True, slots=True)
class And:
    """All of `items` (n-ary, so a long chain is flat, not a deep tree)."""

    items: tuple[Expr, ...]

    def source(self) -> str:
        return "(" + " and ".join(item.source() for item in self.items) + ")"


@dataclass(frozen=True, slots=True)
class Or:
    """Any of `items`."""

    items: tuple[Expr, ...]

    def source(self) -> str:
        return "(" + " or ".join(item.source() for item in self.items) + ")"


Expr: TypeAlias = Comparison | And | Or


# -- attributes -----------------------------------------------------------------------------------

# A getter reads one attribute's text from a record. It is built for a layout: `sub(key)` gives
# the subscript of a record key (the key itself for mappings, a position for plain tuples).
Sub: TypeAlias = Callable[[str], object]
Getter: TypeAlias = Callable[[Record, datetime], str]


def _text(key: str) -> Callable[[Sub], Getter]:
    def make(sub: Sub) -> Getter:
        at = sub(key)

        def get(record: Record, now: datetime) -> str:
            value = record[at]  # type: ignore[index, call-overload]
            return value if isinstance(value, str) else ""

        return get

    return make


def _flag(key: str, on: str, off: str) -> Callable[[Sub], Getter]:
    def make(sub: Sub) -> Getter:
        at = sub(key)
        return lambda record, now: on if record[at] else off  # type: ignore[index, call-overload]

    return make


def _content(sub: Sub) -> Getter:
    at_summary, at_content = sub("summary"), sub("content")

    def get(record: Record, now: datetime) -> str:
        summary, content = record[at_summary], record[at_content]  # type: ignore[index, call-overload]
        content = content if isinstance(content, str) else ""
        summary = summary if isinstance(summary, str) else ""
        return content if not summary else summary if not content else summary + "\n" + content

    return get


def _when(value: object, fallback: object) -> datetime | None:
    for text in (value, fallback):
        if isinstance(text, str) and text:
            try:
                dt = datetime.fromisoformat(text)
            except ValueError:
                continue
            return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return None


def _count(key: str) -> Callable[[Sub], Getter]:
    def make(sub: Sub) -> Getter:
        at = sub(key)

        def get(record: Record, now: datetime) -> str:
            value = record[at]  # type: ignore[index, call-overload]
            return str(value) if isinstance(value, int) else "0"

        return get

    return make


def _date(sub: Sub) -> Getter:
    at_published, at_fetched = sub("published"), sub("fetched_at")

    def get(record: Record, now: datetime) -> str:
        dt = _when(record[at_published], record[at_fetched])  # type: ignore[index, call-overload]
        return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if dt else ""

    return get


def _age(sub: Sub) -> Getter:
    at_published, at_fetched = sub("published"), sub("fetched_at")

    def get(record: Record, now: datetime) -> str:
        dt = _when(record[at_published], record[at_fetched])  # type: ignore[index, call-overload]
        return str(max(0, (now - dt).days)) if dt else "0"

    return get


def _tags(sub: Sub) -> Getter:
    at = sub("tags")

    def get(record: Record, now: datetime) -> str:
        value = record[at]  # type: ignore[index, call-overload]
        return value.replace(_SEP, " ") if isinstance(value, str) else ""

    return get


@dataclass(frozen=True, slots=True)
class _Attribute:
    make: Callable[[Sub], Getter]
    keys: tuple[str, ...]  # record keys it reads
    about: str
    column: str | None = None  # its SQL column (entries e, feeds f) when it is one, for prefilters


ATTRIBUTES: dict[str, _Attribute] = {
    "title": _Attribute(_text("title"), ("title",), "the article's title", "e.title"),
    "link": _Attribute(_text("link"), ("link",), "the article's link", "e.link"),
    "author": _Attribute(_text("author"), ("author",), "the article's author", "e.author"),
    "content": _Attribute(_content, ("summary", "content"), "the article's HTML as the feed gave it"),
    "description": _Attribute(_content, ("summary", "content"), "the same as content (newsboat's name)"),
    "guid": _Attribute(_text("guid"), ("guid",), "the article's unique id in its feed", "e.guid"),
    "date": _Attribute(_date, ("published", "fetched_at"), 'publication date, "YYYY-MM-DD hh:mm:ss" UTC'),
    "age": _Attribute(_age, ("published", "fetched_at"), "days since publication"),
    "unread": _Attribute(_flag("read", "no", "yes"), ("read",), '"yes" or "no"'),
    "starred": _Attribute(_flag("starred", "yes", "no"), ("starred",), '"yes" or "no"'),
    # newsboat flags are letters the user sets; a star is our one flag, shown as "s".
    "flags": _Attribute(_flag("starred", "s", ""), ("starred",), '"s" when starred'),
    "feedtitle": _Attribute(_text("feed_title"), ("feed_title",), "the feed's title", "f.title"),
    "rssurl": _Attribute(_text("feed_url"), ("feed_url",), "the feed's URL", "f.url"),
    "feedurl": _Attribute(_text("feed_url"), ("feed_url",), "the feed's URL (same as rssurl)", "f.url"),
    "feedlink": _Attribute(_text("site_url"), ("site_url",), "the feed's web site", "f.site_url"),
    "tags": _Attribute(_tags, ("tags",), "the feed's tags, separated by spaces"),
    "unread_count": _Attribute(_count("unread_count"), ("unread_count",), "unread articles in the article's feed"),
    "total_count": _Attribute(_count("total_count"), ("total_count",), "articles in the article's feed"),
    "enclosure_url": _Attribute(_text("enclosure_url"), ("enclosure_url",), "the first enclosure's URL"),
    "enclosure_type": _Attribute(_text("enclosure_type"), ("enclosure_type",), "its MIME type"),
}

# -- tokenizer ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Literal["ident", "string", "number", "op", "(", ")", ":", "and", "or", "end"]
    text: str
    column: int  # 1-based


_OPERATOR = re.compile(r"==|!=|=~|!~|!#|<=|>=|=|<|>|#")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?[0-9]+")
_ORDER_AND_EQUALITY = frozenset(["<", ">", "<=", ">=", "=", "==", "!="])


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "the end"
    if token.kind == "string":
        return "a quoted string"
    return f"`{token.text}`"


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        column = i + 1
        if ch in "():":
            tokens.append(_Token(ch, ch, column))  # type: ignore[arg-type]
            i += 1
            continue
        if ch == '"':
            i += 1
            buf: list[str] = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(text[i])
                i += 1
            if i >= n:
                raise FilterError("unterminated string (a closing \" is missing)", column)
            i += 1
            tokens.append(_Token("string", "".join(buf), column))
            continue
        if m := _NUMBER.match(text, i):
            end = m.end()
            # A number glued to letters (12abc) is not a number.
            if end < n and (text[end].isalpha() or text[end] == "_"):
                raise FilterError(f"unexpected `{_word_at(text, i)}`", column)
            tokens.append(_Token("number", m.group(), column))
            i = end
            continue
        if m := _IDENT.match(text, i):
            word = m.group()
            low = word.lower()
            if low in ("and", "or"):
                tokens.append(_Token(low, word, column))  # type: ignore[arg-type]
            elif low == "between":
                tokens.append(_Token("op", "between", column))
            else:
                tokens.append(_Token("ident", word, column))
            i = m.end()
            continue
        if m := _OPERATOR.match(text, i):
            tokens.append(_Token("op", m.group(), column))
            i = m.end()
            continue
        if ch == "&" or ch == "|":
            word = "and" if ch == "&" else "or"
            raise FilterError(f"unexpected `{ch}` (write `{word}`)", column)
        raise FilterError(f"unexpected character `{ch}`" if ch.isprintable() else
                          f"unexpected character U+{ord(ch):04X}", column)
    tokens.append(_Token("end", "", n + 1))
    return tokens


def _word_at(text: str, i: int) -> str:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in '()"':
        j += 1
    return text[i:j][:30]


# -- parser ---------------------------------------------------------------------------------------


class _Parser:
    """expr := term ("or" term)* ; term := factor ("and" factor)* ;
    factor := "(" expr ")" | ATTRIBUTE OPERATOR value ; value := STRING | NUMBER | NUMBER ":" NUMBER"""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise FilterError("empty expression (expected an attribute such as `title`)", 1)
        expr = self.expr()
        token = self.peek()
        if token.kind != "end":
            if token.kind == ")":
                raise FilterError("unmatched `)`", token.column)
            raise FilterError(f"expected `and`, `or` or the end, not {_describe(token)}", token.column)
        return expr

    def expr(self) -> Expr:
        items = [self.term()]
        while self.peek().kind == "or":
            self.take()
            items.append(self.term())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def term(self) -> Expr:
        items = [self.factor()]
        while self.peek().kind == "and":
            self.take()
            items.append(self.factor())
        return items[0] if len(items) == 1 else And(tuple(items))

    def factor(self) -> Expr:
        token = self.take()
        if token.kind == "(":
            self.depth += 1
            if self.depth > 100:
                raise FilterError("parentheses nested too deeply", token.column)
            inner = self.expr()
            close = self.take()
            if close.kind != ")":
                raise FilterError(
                    f"expected `)` to close the `(` at {token.column}, not {_describe(close)}",
                    close.column,
                )
            self.depth -= 1
            return inner
        if token.kind != "ident":
            if token.kind in ("and", "or"):
                raise FilterError(f"expected an attribute before `{token.text}`", token.column)
            raise FilterError(f"expected an attribute such as `title`, not {_describe(token)}", token.column)
        name = token.text.lower()
        if name not in ATTRIBUTES:
            raise FilterError(
                f"unknown attribute `{token.text}` (known: {', '.join(ATTRIBUTES)})", token.column
            )
        op = self.take()
        if op.kind != "op":
            raise FilterError(f"expected an operator after `{token.text}`", op.column)
        value = self.value(op)
        if name == "age" and op.text in _ORDER_AND_EQUALITY and value.kind == "string" \
                and not _NUMBER.fullmatch(value.text.strip()):
            # (newsboat reads it as 0 and matches nothing, silently)
            raise FilterError(f"`age` is a number of days: compare it with a number, not \"{value.text}\"", value.column)
        if name in ("unread", "starred") and op.text in ("=", "==", "!=") and value.text not in ("yes", "no"):
            # (it matched nothing, silently: a typo read as "nothing unread")
            raise FilterError(f'`{name}` is "yes" or "no", not "{value.text}"', value.column)
        return Comparison(name, "=" if op.text == "==" else op.text, value, token.column)

    def value(self, op: _Token) -> Value:
        token = self.take()
        if token.kind == "string":
            value = Value(token.text, "string", token.column)
        elif token.kind == "number":
            value = Value(token.text, "number", token.column)
            if self.peek().kind == ":":
                self.take()
                high = self.take()
                if high.kind != "number":
                    raise FilterError(f"expected a number after `{token.text}:`", high.column)
                value = Value(f"{token.text}:{high.text}", "range", token.column)
        else:
            raise FilterError(
                f"expected a value (a \"quoted string\" or a number) after `{op.text}`", token.column
            )
        if op.text == "between" and value.kind != "range":
            raise FilterError("`between` needs a range such as 1:5", value.column)
        if op.text in ("=~", "!~"):
            try:
                re.compile(value.text)
            except re.error as exc:
                raise FilterError(f"invalid regular expression ({exc.msg})", value.column) from None
            except (RecursionError, OverflowError):
                raise FilterError("invalid regular expression (too complex)", value.column) from None
        return value


def parse_filter(text: str) -> Expr:
    """The syntax tree of a filter expression; FilterError (with a column) when it is not one."""
    if len(text) > 10_000:
        raise FilterError("expression too long (more than 10,000 characters)", 10_001)
    try:
        return _Parser(text).parse()
    except RecursionError:
        raise FilterError("expression nested too deeply", 1) from None


# -- evaluation -----------------------------------------------------------------------------------


def _num(text: str) -> int:
    """The numeric prefix of a string, like newsboat (0 when there is none)."""
    m = _NUMBER.match(text)
    return int(m.group()) if m else 0


Predicate: TypeAlias = Callable[[Record], bool]
_REGEX_META = re.compile(r"[.^$*+?{}\[\]\\|()]")


def _compile_comparison(node: Comparison, clock: list[datetime], sub: Sub) -> Predicate:
    attr = ATTRIBUTES[node.attribute]
    get = attr.make(sub)
    literal = node.value.text
    op = node.op
    if op in ("=~", "!~"):
        want = op == "=~"
        if not _REGEX_META.search(literal) and literal.isascii():
            # A plain ASCII word: a lower-cased substring test gives the same answer, 5× faster.
            needle = literal.lower()
            return lambda r: (needle in get(r, clock[0]).lower()) is want
        search = re.compile(literal, re.IGNORECASE).search
        return lambda r: (search(get(r, clock[0])) is not None) is want
    if op in ("=", "!="):
        same = op == "="
        if node.attribute == "tags":
            # A feed's tags are a set: `tags = "a b"` matches whatever order they were given in.
            wanted = sorted(literal.split())
            return lambda r: (sorted(get(r, clock[0]).split()) == wanted) is same
        return lambda r: (get(r, clock[0]) == literal) is same
    if op in ("#", "!#"):
        has = op == "#"
        if node.attribute == "tags":
            at = sub("tags")

            def tags_have(r: Record) -> bool:
                value = r[at]  # type: ignore[index, call-overload]
                return (isinstance(value, str) and literal in value.split(_SEP)) is has

            return tags_have
        return lambda r: (literal in get(r, clock[0]).split(" ")) is has
    if op == "between":
        low_text, high_text = literal.split(":", 1)
        low, high = sorted((int(low_text), int(high_text)))
        return lambda r: low <= _num(get(r, clock[0])) <= high
    compare: Callable[[Any, Any], bool] = {
        "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge,
    }[op]
    if node.attribute == "date" and node.value.kind == "string":
        # Dates compare as text, so `date >= "2024-06"` works on any prefix of the ISO form.
        width = len(literal)
        return lambda r: (d := get(r, clock[0])) != "" and compare(d[:width], literal)
    bound = _num(literal)
    return lambda r: compare(_num(get(r, clock[0])), bound)


def _compile(node: Expr, clock: list[datetime], sub: Sub) -> Predicate:
    if isinstance(node, Comparison):
        return _compile_comparison(node, clock, sub)
    parts = tuple(_compile(item, clock, sub) for item in node.items)
    if len(parts) == 2:  # the common case, without a generator per record
        left, right = parts
        if isinstance(node, And):
            return lambda r: left(r) and right(r)
        return lambda r: left(r) or right(r)
    if isinstance(node, And):
        return lambda r: all(p(r) for p in parts)
    return lambda r: any(p(r) for p in parts)


def _keys(node: Expr) -> set[str]:
    if isinstance(node, Comparison):
        return set(ATTRIBUTES[node.attribute].keys)
    return set().union(*(_keys(item) for item in node.items))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _prefilter(node: Comparison) -> tuple[str, list[object]] | None:
    """A SQL condition every matching entry meets (it may let through some that do not), or None.

    The store then reads only those rows; the Python predicate still decides. Only conditions
    that SQLite answers exactly as we do, or more loosely, are made.
    """
    op, literal, column = node.op, node.value.text, ATTRIBUTES[node.attribute].column
    if node.attribute in ("unread", "starred") and op in ("=", "!="):
        flag = "e.read" if node.attribute == "unread" else "e.starred"
        true_text = "no" if node.attribute == "unread" else "yes"
        if literal not in ("yes", "no"):
            return ("0", []) if op == "=" else None
        return f"{flag} = ?", [int((literal == true_text) == (op == "="))]
    if node.attribute == "tags" and op == "#":
        return "EXISTS (SELECT 1 FROM feed_tags t WHERE t.feed_id = e.feed_id AND t.tag = ?)", [literal]
    if op == "=~" and (column is not None or node.attribute == "content"):
        # Plain ASCII words, or words separated by | : LIKE (which ignores ASCII case) finds a
        # superset of what the regular expression matches.
        words = literal.split("|")
        if all(w and not _REGEX_META.search(w) and w.isascii() and w.isprintable() for w in words):
            targets = [column] if column is not None else ["e.summary", "e.content"]
            tests = [f"{t} LIKE ? ESCAPE '\\'" for w in words for t in targets]
            return "(" + " OR ".join(tests) + ")", [_like(w) for w in words for _ in targets]
    if op == "=" and column is not None and column != "f.site_url" and literal:
        return f"{column} = ?", [literal]
    return None


class Filter:
    """A compiled filter: `matches(record)`, `select(records)`, and the record keys it reads."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tree = parse_filter(text)
        self.keys: frozenset[str] = frozenset(_keys(self.tree))
        self._clock = [datetime.now(UTC)]
        self._predicate = _compile(self.tree, self._clock, lambda key: key)
        self._by_layout: dict[tuple[str, ...], Predicate] = {}

    def __repr__(self) -> str:
        return f"Filter({self.text!r})"

    def set_now(self, now: datetime | None = None) -> None:
        """The time `age` counts from (default: now); `select` sets it once per call."""
        self._clock[0] = now or datetime.now(UTC)

    def matches(self, record: Record) -> bool:
        """Whether a mapping-like record (names as keys) matches."""
        return self._predicate(record)

    def predicate(self, columns: Sequence[str] | None = None) -> Predicate:
        """The predicate for records keyed by name (None) or plain tuples laid out as `columns`."""
        if columns is None:
            return self._predicate
        layout = tuple(columns)
        found = self._by_layout.get(layout)
        if found is None:
            index = {name: i for i, name in enumerate(layout)}
            found = self._by_layout[layout] = _compile(self.tree, self._clock, index.__getitem__)
        return found

    def select(
        self, records: Iterable[R], now: datetime | None = None, columns: Sequence[str] | None = None
    ) -> list[R]:
        """The records that match, in order (plain tuples when `columns` names their layout)."""
        self.set_now(now)
        predicate = self.predicate(columns)
        return [r for r in records if predicate(r)]

    def prefilter(self) -> tuple[list[str], list[object]]:
        """SQL conditions (on entries `e`, feeds `f`) that every match meets, with their arguments."""
        found = _prefilter_tree(self.tree)
        return ([found[0]], found[1]) if found else ([], [])


def _prefilter_tree(node: Expr) -> tuple[str, list[object]] | None:
    """And: the conditions of the items that have one; Or: only when every item has one."""
    if isinstance(node, Comparison):
        return _prefilter(node)
    parts = [_prefilter_tree(item) for item in node.items]
    if isinstance(node, Or) and any(p is None for p in parts):
        return None
    known = [p for p in parts if p is not None]
    if not known:
        return None
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(p[0] for p in known) + ")", [a for p in known for a in p[1]]


def compile_filter(text: str) -> Filter:
    """Parse and compile `text`; FilterError (message ends with "at COLUMN") when it is not valid."""
    return Filter(text)


def describe_attributes() -> Sequence[tuple[str, str]]:
    """(name, meaning) of every attribute, for help text."""
    return [(name, attr.about) for name, attr in ATTRIBUTES.items()]


# -- against the store ----------------------------------------------------------------------------


def filter_entries(
    store: Store,
    expression: Filter | str,
    *,
    feed_id: int | None = None,
    unread_only: bool = False,
    starred_only: bool = False,
    ignored: bool | None = False,
    limit: int | None = None,
) -> list[Entry]:
    """Stored entries matching a filter, newest first (light: without summary and content).

    SQLite first narrows the rows where it can (`Filter.prefilter`: flags, tags, plain words);
    only the columns the filter reads are loaded, as plain tuples, and the compiled predicate
    decides.
    """
    flt = expression if isinstance(expression, Filter) else compile_filter(expression)
    where, args = flt.prefilter()
    columns, rows = store.record_tuples(
        flt.keys, feed_id=feed_id, unread_only=unread_only, starred_only=starred_only,
        ignored=ignored, where=where, args=args,
    )
    matched = flt.select(rows, columns=columns)
    if limit is not None:
        matched = matched[:limit]
    return [store.light_entry(row) for row in matched]


def filter_ids(store: Store, expression: Filter | str, *, ignored: bool | None = False) -> list[int]:
    """Ids of the stored entries matching a filter, newest first (for a list already on screen)."""
    flt = expression if isinstance(expression, Filter) else compile_filter(expression)
    where, args = flt.prefilter()
    columns, rows = store.record_tuples(flt.keys, ignored=ignored, where=where, args=args, light=False)
    return [row[0] for row in flt.select(rows, columns=columns)]  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class QueryFeed:
    """A virtual feed: the entries matching `filter`, with counts (newsboat's `query:` feeds)."""

    name: str
    filter: str
    unread: int = 0
    total: int = 0
    error: str | None = None  # the filter could not be used


def query_feeds(store: Store, queries: Iterable[tuple[str, str]]) -> list[QueryFeed]:
    """(name, filter) pairs → QueryFeeds with their unread and total counts, in one pass."""
    compiled: list[tuple[str, str, Filter | None, str | None]] = []
    keys: set[str] = {"read"}
    for name, text in queries:
        try:
            flt = compile_filter(text)
        except FilterError as exc:
            compiled.append((name, text, None, str(exc)))
            continue
        keys |= flt.keys
        compiled.append((name, text, flt, None))
    usable = [c for c in compiled if c[2] is not None]
    columns, rows = store.record_tuples(keys, light=False) if usable else ((), [])
    at_read = list(columns).index("read") if usable else 0
    now = datetime.now(UTC)
    out = []
    for name, text, query, error in compiled:
        if query is None:
            out.append(QueryFeed(name, text, error=error))
            continue
        matched = query.select(rows, now, columns=columns)
        unread = sum(1 for r in matched if not r[at_read])
        out.append(QueryFeed(name, text, unread=unread, total=len(matched)))
    return out
