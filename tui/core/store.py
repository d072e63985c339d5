"""The SQLite store: feeds, entries, read/starred state, cleaned-article cache, saves and search."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core.models import Entry, Feed, ParsedFeed

# Each migration is applied once, in order, in its own transaction; PRAGMA user_version records
# how many have run. Never edit a released migration: add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: feeds, tags, entries
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        site_url TEXT,
        status TEXT NOT NULL DEFAULT 'new',
        last_error TEXT,
        last_checked TEXT,
        last_success TEXT,
        next_due TEXT,
        etag TEXT,
        last_modified TEXT,
        added_at TEXT NOT NULL
    );
    CREATE TABLE feed_tags (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (feed_id, tag)
    );
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        link TEXT,
        title TEXT NOT NULL DEFAULT '',
        author TEXT,
        published TEXT,
        updated TEXT,
        summary TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL DEFAULT '',
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        fetched_at TEXT NOT NULL,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX entries_by_feed ON entries (feed_id, published);
    CREATE INDEX entries_by_date ON entries (published);
    """,
    # 2: cleaned-article cache and saved files
    """
    CREATE TABLE articles (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        cleaned_at TEXT NOT NULL
    );
    CREATE TABLE saves (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER REFERENCES entries(id) ON DELETE SET NULL,
        path TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    """,
    # 3: full-text search over titles and article text
    """
    CREATE VIRTUAL TABLE search USING fts5 (
        title, body, tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO search (rowid, title, body) SELECT id, title, summary || ' ' || content FROM entries;
    """,
    # 4: unread counts per feed from an index, not a scan of every entry's text (20× at 10k entries)
    """
    CREATE INDEX entries_by_feed_read ON entries (feed_id, read);
    """,
    # 5: the starred count and list without a scan (few entries are starred)
    """
    CREATE INDEX entries_starred ON entries (id) WHERE starred = 1;
    """,
    # 6: the entry list newest first from a covering index: the first screenful without sorting
    # every entry (1 s → 2 ms at 100k entries), the whole list without reading entries' text
    """
    CREATE INDEX entries_newest ON entries (
        COALESCE(published, fetched_at) DESC, id DESC,
        feed_id, guid, title, link, author, published, updated, read, starred, fetched_at
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)

_TAG = re.compile(r"<[^>]*>")
_SEP = "\x1f"


class StoreError(Exception):
    """The database cannot be used (corrupt, newer than this program, locked)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _dt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _plain(html: str) -> str:
    """Rough text of an HTML fragment for the search index."""
    return _TAG.sub(" ", html)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the migrations the database lacks, up to `target`; returns the version reached."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database is from a newer Newswire (schema {version}, this one knows {SCHEMA_VERSION})"
        )
    for number in range(version, target):
        script = MIGRATIONS[number]
        # executescript commits first; BEGIN IMMEDIATE makes the migration and its version one unit.
        conn.executescript(
            f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
        )
    return max(version, target)


class Store:
    """One SQLite connection, shared by threads behind a lock; every write is one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                str(path), timeout=10.0, isolation_level=None, check_same_thread=False
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA busy_timeout = 10000")
            migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None

    # -- lifecycle --------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self) -> _Transaction:
        return _Transaction(self)

    def integrity_check(self) -> str:
        with self._lock:
            return self._conn.execute("PRAGMA integrity_check").fetchone()[0]

    # -- feeds ------------------------------------------------------------------------------------

    _FEED_SQL = """
        SELECT f.*,
               (SELECT group_concat(tag, char(31)) FROM feed_tags t WHERE t.feed_id = f.id) AS tags,
               COALESCE(c.total, 0) AS total, COALESCE(c.unread, 0) AS unread
        FROM feeds f
        LEFT JOIN (SELECT feed_id, COUNT(*) AS total, SUM(read = 0) AS unread
                   FROM entries GROUP BY feed_id) c ON c.feed_id = f.id
    """

    @staticmethod
    def _feed(row: sqlite3.Row) -> Feed:
        return Feed(
            id=row["id"],
            url=row["url"],
            title=row["title"],
            site_url=row["site_url"],
            tags=tuple(sorted(row["tags"].split(_SEP))) if row["tags"] else (),
            status=row["status"],
            last_error=row["last_error"],
            last_checked=_dt(row["last_checked"]),
            last_success=_dt(row["last_success"]),
            next_due=_dt(row["next_due"]),
            etag=row["etag"],
            last_modified=row["last_modified"],
            unread=row["unread"] or 0,
            total=row["total"] or 0,
        )

    def feeds(self) -> list[Feed]:
        with self._lock:
            rows = self._conn.execute(self._FEED_SQL + " ORDER BY lower(f.title), f.url").fetchall()
        return [self._feed(r) for r in rows]

    def feed(self, feed_id: int) -> Feed | None:
        with self._lock:
            row = self._conn.execute(self._FEED_SQL + " WHERE f.id = ?", (feed_id,)).fetchone()
        return self._feed(row) if row else None

    def feed_by_url(self, url: str) -> Feed | None:
        with self._lock:
            row = self._conn.execute(self._FEED_SQL + " WHERE f.url = ?", (url,)).fetchone()
        return self._feed(row) if row else None

    def add_feed(self, url: str, *, title: str = "", tags: Iterable[str] = ()) -> tuple[Feed, bool]:
        """Subscribe to `url`; an existing subscription is returned as it is (with tags added)."""
        with self._tx() as conn:
            row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            created = row is None
            if created:
                feed_id = conn.execute(
                    "INSERT INTO feeds (url, title, added_at) VALUES (?, ?, ?)",
                    (url, title or "", _now()),
                ).lastrowid
            else:
                feed_id = row["id"]
                if title:
                    conn.execute(
                        "UPDATE feeds SET title = ? WHERE id = ? AND title = ''", (title, feed_id)
                    )
            conn.executemany(
                "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                [(feed_id, t) for t in tags if t],
            )
        feed = self.feed(feed_id)
        assert feed is not None
        return feed, created

    def remove_feed(self, url: str) -> bool:
        with self._tx() as conn:
            row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                return False
            conn.execute(
                "DELETE FROM search WHERE rowid IN (SELECT id FROM entries WHERE feed_id = ?)",
                (row["id"],),
            )
            conn.execute("DELETE FROM feeds WHERE id = ?", (row["id"],))
        return True

    def set_feed_tags(self, feed_id: int, tags: Iterable[str]) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                [(feed_id, t) for t in tags if t],
            )

    def set_feed_title(self, feed_id: int, title: str) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE feeds SET title = ? WHERE id = ?", (title, feed_id))

    def apply_refresh(
        self,
        feed_id: int,
        *,
        checked_at: datetime,
        status: str,
        error: str | None,
        parsed: ParsedFeed | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        next_due: datetime | None = None,
        new_url: str | None = None,
    ) -> tuple[int, int]:
        """Store one feed's refresh in one transaction; returns (new, updated) entry counts."""
        with self._tx() as conn:
            return self._apply_refresh(
                conn, feed_id, checked_at=checked_at, status=status, error=error, parsed=parsed,
                etag=etag, last_modified=last_modified, next_due=next_due, new_url=new_url,
            )

    def apply_refresh_many(self, updates: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        """Several feeds' refresh results (apply_refresh's keyword arguments) in one transaction.

        For the many small updates of a refresh (a 304, a failure): one commit instead of one each.
        """
        if not updates:
            return
        with self._tx() as conn:
            for feed_id, kwargs in updates:
                self._apply_refresh(conn, feed_id, **kwargs)

    def _apply_refresh(
        self,
        conn: sqlite3.Connection,
        feed_id: int,
        *,
        checked_at: datetime,
        status: str,
        error: str | None,
        parsed: ParsedFeed | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        next_due: datetime | None = None,
        new_url: str | None = None,
    ) -> tuple[int, int]:
        new = updated = 0
        checked = _iso(checked_at)
        sets = ["status = ?", "last_error = ?", "last_checked = ?", "next_due = ?"]
        args: list[object] = [status, error, checked, _iso(next_due)]
        if status == "ok":
            sets.append("last_success = ?")
            args.append(checked)
        if etag is not None:
            sets.append("etag = ?")
            args.append(etag)
        if last_modified is not None:
            sets.append("last_modified = ?")
            args.append(last_modified)
        if new_url and not conn.execute(
            "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (new_url, feed_id)
        ).fetchone():
            sets.append("url = ?")
            args.append(new_url)
        if parsed is not None:
            if parsed.title:
                sets.append("title = ?")
                args.append(parsed.title)
            if parsed.site_url:
                sets.append("site_url = ?")
                args.append(parsed.site_url)
        conn.execute(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?", (*args, feed_id))
        if parsed is not None and parsed.entries:
            new, updated = self._upsert_entries(conn, feed_id, parsed, checked)
        return new, updated

    @staticmethod
    def _upsert_entries(
        conn: sqlite3.Connection, feed_id: int, parsed: ParsedFeed, fetched_at: str | None
    ) -> tuple[int, int]:
        by_guid: dict[str, tuple[int, str]] = {}
        by_link: dict[str, tuple[int, str]] = {}
        by_hash: dict[str, tuple[int, str]] = {}
        current = {item.guid for item in parsed.entries}
        for row in conn.execute(
            "SELECT id, guid, link, content_hash FROM entries WHERE feed_id = ?", (feed_id,)
        ):
            by_guid[row[1]] = (row[0], row[3])
            # An entry still in the feed under its own id is not an older copy of another item:
            # stories that share one link (a home page) stay distinct.
            if row[1] in current:
                continue
            if row[2]:
                by_link.setdefault(row[2], (row[0], row[3]))
            if row[3]:
                by_hash.setdefault(row[3], (row[0], row[3]))
        new = updated = 0
        seen: set[int] = set()
        for item in parsed.entries:
            found = by_guid.get(item.guid)
            if found is not None and found[0] in seen:
                continue  # the same id twice in one document
            if found is None and item.link:
                found = by_link.get(item.link)
            if found is None and item.content_hash:
                found = by_hash.get(item.content_hash)
            if found is not None and found[0] in seen:
                found = None  # a second item matched the same older entry: it is a story of its own
            existing_id = found[0] if found else None
            old_hash = found[1] if found else None
            values = (
                item.title,
                item.link,
                item.author,
                _iso(item.published),
                _iso(item.updated),
                item.summary,
                item.content,
                item.content_hash,
            )
            if existing_id is not None:
                if old_hash == item.content_hash:
                    seen.add(existing_id)
                    continue
                seen.add(existing_id)
                conn.execute(
                    """UPDATE entries SET title = ?, link = ?, author = ?, published = ?, updated = ?,
                       summary = ?, content = ?, content_hash = ? WHERE id = ?""",
                    (*values, existing_id),
                )
                # The text changed, so the cleaned copy is stale.
                conn.execute("DELETE FROM articles WHERE entry_id = ?", (existing_id,))
                conn.execute("DELETE FROM search WHERE rowid = ?", (existing_id,))
                conn.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                    (existing_id, item.title, _plain(item.summary + " " + item.content)),
                )
                updated += 1
            else:
                entry_id = conn.execute(
                    """INSERT INTO entries (feed_id, guid, title, link, author, published, updated,
                       summary, content, content_hash, fetched_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (feed_id, item.guid, *values, fetched_at or _now()),
                ).lastrowid
                seen.add(entry_id)
                by_guid[item.guid] = (entry_id, item.content_hash)
                conn.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                    (entry_id, item.title, _plain(item.summary + " " + item.content)),
                )
                new += 1
        return new, updated

    # -- entries ----------------------------------------------------------------------------------

    _ENTRY_LIGHT = """
        SELECT e.id, e.feed_id, e.guid, e.title, e.link, e.author, e.published, e.updated,
               '' AS summary, '' AS content, e.read, e.starred, f.title AS feed_title, f.url AS feed_url
        FROM entries e JOIN feeds f ON f.id = e.feed_id
    """
    _ORDER = " ORDER BY COALESCE(e.published, e.fetched_at) DESC, e.id DESC"

    @staticmethod
    def _entry(row: sqlite3.Row) -> Entry:
        return Entry(
            id=row["id"],
            feed_id=row["feed_id"],
            guid=row["guid"],
            title=row["title"],
            link=row["link"],
            author=row["author"],
            published=_dt(row["published"]),
            updated=_dt(row["updated"]),
            summary=row["summary"],
            content=row["content"],
            read=bool(row["read"]),
            starred=bool(row["starred"]),
            feed_title=row["feed_title"] or row["feed_url"],
            feed_url=row["feed_url"],
        )

    def entries(
        self,
        *,
        feed_id: int | None = None,
        unread_only: bool = False,
        starred_only: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Entry]:
        """Entries newest first, without their summary and content (see `entry` for those)."""
        where, args = [], []
        if feed_id is not None:
            where.append("e.feed_id = ?")
            args.append(feed_id)
        if unread_only:
            where.append("e.read = 0")
        if starred_only:
            where.append("e.starred = 1")
        sql = self._ENTRY_LIGHT + (" WHERE " + " AND ".join(where) if where else "") + self._ORDER
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [self._entry(r) for r in rows]

    def entry(self, entry_id: int) -> Entry | None:
        """One entry with its summary and content."""
        with self._lock:
            row = self._conn.execute(
                """SELECT e.*, f.title AS feed_title, f.url AS feed_url
                   FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE e.id = ?""",
                (entry_id,),
            ).fetchone()
        return self._entry(row) if row else None

    def count_entries(self, *, unread_only: bool = False, starred_only: bool = False) -> int:
        where = [w for w, on in (("read = 0", unread_only), ("starred = 1", starred_only)) if on]
        sql = "SELECT COUNT(*) FROM entries" + (" WHERE " + " AND ".join(where) if where else "")
        with self._lock:
            return self._conn.execute(sql).fetchone()[0]

    def _set_flag(self, column: str, ids: Sequence[int], value: bool) -> int:
        ids = list(ids)
        if not ids:
            return 0
        with self._tx() as conn:
            total = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                total += conn.execute(
                    f"UPDATE entries SET {column} = ? WHERE id IN ({marks})", (int(value), *chunk)
                ).rowcount
        return total

    def set_read(self, ids: Sequence[int], read: bool = True) -> int:
        return self._set_flag("read", ids, read)

    def set_starred(self, ids: Sequence[int], starred: bool = True) -> int:
        return self._set_flag("starred", ids, starred)

    def mark_feed_read(self, feed_id: int) -> int:
        with self._tx() as conn:
            return conn.execute(
                "UPDATE entries SET read = 1 WHERE feed_id = ? AND read = 0", (feed_id,)
            ).rowcount

    def search(self, query: str, limit: int = 200) -> list[Entry]:
        """Entries whose title or text match `query` (words, all required; prefix match on the last)."""
        words = re.findall(r"\w+", query)
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        with self._lock:
            rows = self._conn.execute(
                self._ENTRY_LIGHT
                + " JOIN search s ON s.rowid = e.id WHERE search MATCH ?"
                + " ORDER BY s.rank LIMIT ?",
                (match.strip(), limit),
            ).fetchall()
        return [self._entry(r) for r in rows]

    # -- cleaned articles and saves ---------------------------------------------------------------

    def get_article(self, entry_id: int, version: int) -> str | None:
        """The cached cleaned article (JSON) when it was made by cleaning rules of `version`."""
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM articles WHERE entry_id = ? AND version = ?", (entry_id, version)
            ).fetchone()
        return row[0] if row else None

    def put_article(self, entry_id: int, version: int, data: str, text: str = "") -> None:
        """Cache a cleaned article; its text joins the search index."""
        with self._tx() as conn:
            if not conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone():
                return  # the entry was removed meanwhile (its feed unsubscribed)
            conn.execute(
                "INSERT OR REPLACE INTO articles (entry_id, version, data, cleaned_at) VALUES (?, ?, ?, ?)",
                (entry_id, version, data, _now()),
            )
            if text:
                title = conn.execute("SELECT title FROM entries WHERE id = ?", (entry_id,)).fetchone()
                conn.execute("DELETE FROM search WHERE rowid = ?", (entry_id,))
                conn.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                    (entry_id, title[0], text),
                )

    def record_save(self, entry_id: int | None, path: str | Path) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO saves (entry_id, path, saved_at) VALUES (?, ?, ?)",
                (entry_id, str(path), _now()),
            )

    def saves(self, entry_id: int | None = None) -> list[tuple[int | None, str]]:
        with self._lock:
            if entry_id is None:
                rows = self._conn.execute("SELECT entry_id, path FROM saves ORDER BY id").fetchall()
            else:
                rows = self._conn.execute(
                    "SELECT entry_id, path FROM saves WHERE entry_id = ? ORDER BY id", (entry_id,)
                ).fetchall()
        return [(r[0], r[1]) for r in rows]


class _Transaction:
    """`with store._tx() as conn:` holds the lock and runs one BEGIN IMMEDIATE … COMMIT."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Connection:
        self._store._lock.acquire()
        try:
            self._store._conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._store._lock.release()
            raise
        return self._store._conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self._store._conn.execute("COMMIT")
            else:
                self._store._conn.execute("ROLLBACK")
        finally:
            self._store._lock.release()
