"""The SQLite store: feeds, entries, read/starred state, cleaned-article cache, saves and search."""

from __future__ import annotations

import bisect
import itertools
import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from tui.core.models import Entry, Feed

if TYPE_CHECKING:
    from tui.core.feeds.sync.records import QueuedChange, RemoteEntry, RemoteFeed
    from tui.core.models import Enclosure, ParsedEntry, ParsedFeed

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
    # 6: the reading cache (article, quotes, places) keyed by a digest of the rules, not a hand-bumped
    # version; the old article cache is dropped (it is a cache: everything in it is made again)
    """
    CREATE TABLE readings (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        digest TEXT NOT NULL,
        data TEXT NOT NULL,
        made_at TEXT NOT NULL
    );
    DROP TABLE articles;
    """,
    # 7: filters: entries hidden by kill rules stay stored, flagged; enclosures (podcasts)
    """
    ALTER TABLE entries ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX entries_ignored ON entries (id) WHERE ignored = 1;
    CREATE INDEX entries_visible_by_feed_read ON entries (feed_id, read) WHERE ignored = 0;
    CREATE TABLE enclosures (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        url TEXT NOT NULL,
        type TEXT NOT NULL DEFAULT '',
        length INTEGER,
        duration INTEGER,
        path TEXT,  -- where `download` puts it (a .part beside it until complete)
        UNIQUE (entry_id, url)
    );
    """,
    # 8: a title the user gave (add --title, "~Title", OPML) survives refreshes
    """
    ALTER TABLE feeds ADD COLUMN title_from_user INTEGER NOT NULL DEFAULT 0;
    """,
    # 9: sync with a Miniflux / Google Reader server: the server's ids, the queue of local changes
    """
    ALTER TABLE feeds ADD COLUMN remote_id TEXT;
    ALTER TABLE entries ADD COLUMN remote_id TEXT;
    CREATE UNIQUE INDEX feeds_by_remote ON feeds (remote_id) WHERE remote_id IS NOT NULL;
    CREATE UNIQUE INDEX entries_by_remote ON entries (remote_id) WHERE remote_id IS NOT NULL;
    CREATE INDEX entries_by_link ON entries (feed_id, link);
    CREATE TABLE sync_queue (
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        value INTEGER NOT NULL,
        base INTEGER NOT NULL,
        changed_at TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (entry_id, field)
    );
    CREATE TABLE sync_feed_queue (
        remote_id TEXT PRIMARY KEY,
        action TEXT NOT NULL,
        url TEXT NOT NULL,
        queued_at TEXT NOT NULL
    );
    CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 10: the entry list newest first from a covering index: the first screenful without sorting
    # every entry (1 s → 2 ms at 100k entries), the whole list without reading entries' text
    """
    CREATE INDEX entries_newest ON entries (
        COALESCE(published, fetched_at) DESC, id DESC,
        feed_id, guid, title, link, author, published, updated, read, starred, fetched_at, ignored
    );
    """,
    # 11: stories (issue 14): prefetched pages, near-duplicate stories, earlier versions of entries
    """
    ALTER TABLE entries ADD COLUMN story INTEGER;
    ALTER TABLE entries ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX entries_by_story ON entries (story) WHERE story IS NOT NULL;
    CREATE TABLE story_sketches (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        keys BLOB NOT NULL,  -- retrieval keys of the lead (int64s after a tuple-hash fingerprint)
        size INTEGER NOT NULL  -- words of the text
    );
    CREATE TABLE prefetch (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        tried_at TEXT NOT NULL
    );
    CREATE TABLE entry_versions (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        content TEXT NOT NULL,
        article TEXT,
        first_seen TEXT NOT NULL,
        replaced_at TEXT NOT NULL
    );
    CREATE INDEX entry_versions_by_entry ON entry_versions (entry_id);
    """,
    # 12: the stories pass reads no more than it must. Entries to place are those above the highest
    # placed id plus those marked to place again (keys emptied, from a partial index), not a scan
    # of every entry; a sketch carries its entry's fetch time, so the pass's window of earlier
    # entries is read from the small sketch rows, not by visiting each entry's row.
    """
    ALTER TABLE story_sketches ADD COLUMN fetched_at TEXT;
    UPDATE story_sketches SET fetched_at = (SELECT e.fetched_at FROM entries e WHERE e.id = story_sketches.entry_id);
    INSERT INTO story_sketches (entry_id, keys, size, fetched_at)
        SELECT e.id, x'', 0, e.fetched_at FROM entries e
        WHERE e.id < (SELECT coalesce(max(entry_id), 0) FROM story_sketches)
          AND NOT EXISTS (SELECT 1 FROM story_sketches s WHERE s.entry_id = e.id);
    CREATE INDEX story_sketches_again ON story_sketches (entry_id) WHERE keys = x'';
    """,
    # 13: a new entry's retrieval keys are stored with it (the refresh holds its text then), so a
    # sketch row no longer means "placed": the stories pass records how far it has placed entries.
    """
    CREATE TABLE story_mark (
        only INTEGER PRIMARY KEY CHECK (only = 1),
        placed_to INTEGER NOT NULL  -- entries above this id are not yet placed in stories
    );
    INSERT INTO story_mark (only, placed_to) SELECT 1, coalesce(max(entry_id), 0) FROM story_sketches;
    """,
    # 14: a refresh writes a sketch row with every new entry (5,000 in a large one): the table no longer
    # checks a foreign key on each insert (a third to a half of the insert's CPU), a trigger drops an
    # entry's row with it instead. Every entry has a row from here on (emptied: to be placed from its
    # text), so the pass finds the entries to place in the small rows, never visiting an entry's own.
    """
    CREATE TABLE story_sketches_14 (
        entry_id INTEGER PRIMARY KEY,  -- an entry's id (its row goes with it: story_sketches_gone)
        keys BLOB NOT NULL,  -- retrieval keys of the lead (int64s after a tuple-hash fingerprint); x'': to key again
        size INTEGER NOT NULL,  -- words of the text
        fetched_at TEXT
    );
    INSERT INTO story_sketches_14 (entry_id, keys, size, fetched_at)
        SELECT s.entry_id, s.keys, s.size, s.fetched_at FROM story_sketches s
        WHERE EXISTS (SELECT 1 FROM entries e WHERE e.id = s.entry_id);
    INSERT INTO story_sketches_14 (entry_id, keys, size, fetched_at)
        SELECT e.id, x'', 0, e.fetched_at FROM entries e
        WHERE NOT EXISTS (SELECT 1 FROM story_sketches s WHERE s.entry_id = e.id);
    DROP TABLE story_sketches;
    ALTER TABLE story_sketches_14 RENAME TO story_sketches;
    CREATE INDEX story_sketches_again ON story_sketches (entry_id) WHERE keys = x'';
    CREATE TRIGGER story_sketches_gone AFTER DELETE ON entries BEGIN
        DELETE FROM story_sketches WHERE entry_id = OLD.id;
    END;
    """,
    # 15: two indexes of the first schema that no query uses any more (every list orders by
    # COALESCE(published, fetched_at), from entries_newest; a feed's entries are found by the other
    # indexes that open with feed_id): each new entry no longer updates them (~4 % of a refresh's store CPU).
    """
    DROP INDEX IF EXISTS entries_by_feed;
    DROP INDEX IF EXISTS entries_by_date;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
# The page size of a database this program creates (see Store._connect).
PAGE_SIZE = 16384

_TAG = re.compile(r"<[^>]*>")
_SEP = "\x1f"


class StoreError(Exception):
    """The database cannot be used (corrupt, newer than this program, locked)."""


# The flags a sync server keeps for each entry (and so the ones a local change is queued for).
SYNCED_FLAGS = frozenset({"read", "starred"})

# A row of `Store.unplaced_texts`: (id, story, stored keys, text, cached reading JSON, fetched_at).
UnplacedRow = tuple[int, int | None, bytes | None, str | None, str | None, str]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is UTC and not value.microsecond:
        return value.isoformat()  # the same text (feed dates are UTC, whole seconds), a third faster
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


def _same_words(a: str, b: str) -> bool:
    """Whether two HTML fragments say the same words, whatever their markup (two fetchers' copies)."""
    from tui.core.feeds.parse import html_to_text

    return html_to_text(a) == html_to_text(b)


def _story_keys() -> Callable[[Iterable[str]], list[bytes]] | None:
    """How a refresh stores a new entry's story keys with it (imported when entries arrive, not at
    start-up); None when `stories.stored_keys` is set to None (bench_stories, timing a refresh
    without stories): the entries are then stored without a sketch row, and no pass places them."""
    from tui.core import stories

    return stories.stored_keys


def _insert_story_keys(
    conn: sqlite3.Connection, keyless: Sequence[tuple[int, str, str]], keys_of: Callable[[Iterable[str]], list[bytes]],
    keyed: dict[int, bytes],
) -> None:
    """Store the story keys of a transaction's new entries (id, feed text, fetched at): all the stories
    work a refresh does where it writes (bench_stories --cli times this call). Keyed together after the
    inserts, in one call, not one by one between them: 61 -> 54 ms of thread CPU for 5,000.
    `keyed` gets them too, entry id → keys blob (the store hands them to its stories pass once committed)."""
    ids, texts, stamps = zip(*keyless, strict=True)
    keys = keys_of(texts)
    _insert_sketch_rows(conn, ids, keys, stamps)
    keyed.update(zip(ids, keys, strict=True))


def _insert_sketch_rows(conn: sqlite3.Connection, ids: Sequence[int], keys: Sequence[bytes], stamps: Sequence[str]) -> None:
    """The sketch rows of new entries (id, keys blob, fetched at). One INSERT for the rows of each
    blob width (one width nearly always: every new entry keyed, or a teaser's fingerprint alone),
    whose rows SQLite makes from the ids as a JSON array and the blobs and fetch times joined, each
    cut from its place: an executemany binding a row at a time cost twice as much, and reading each
    row's fetch time from its entry (a lookup of the entry's row) a third as much again."""
    global _JSON_ROWS
    widths = sorted(set(map(len, keys))) if _JSON_ROWS else []
    for n, width in enumerate(widths):
        these, blobs, times = ids, keys, stamps
        if len(widths) > 1:
            chosen = [len(blob) == width for blob in keys]
            these = list(itertools.compress(ids, chosen))
            blobs = list(itertools.compress(keys, chosen))
            times = list(itertools.compress(stamps, chosen))
        joined = "".join(times).encode()
        stamp = len(times[0].encode())
        if len(joined) != stamp * len(times):  # (fetch times of more than one length: each padded to the longest)
            stamp = max(len(t.encode()) for t in times)
            joined = b"".join(t.encode().ljust(stamp) for t in times)
        try:
            conn.execute(
                """INSERT INTO story_sketches (entry_id, keys, size, fetched_at)
                   SELECT j.value, substr(?2, j.key * ?3 + 1, ?3), 0, rtrim(CAST(substr(?4, j.key * ?5 + 1, ?5) AS TEXT))
                   FROM json_each(?1) AS j""",
                (json.dumps(these, separators=(",", ":")), b"".join(blobs), width, joined, stamp),
            )
        except sqlite3.OperationalError as error:
            if n or "json_each" not in str(error):
                raise
            _JSON_ROWS = False  # an SQLite built without its JSON functions ("no such table: json_each")
            break
    if not _JSON_ROWS:
        rows = zip(ids, keys, stamps, strict=True)
        conn.executemany("INSERT INTO story_sketches (entry_id, keys, size, fetched_at) VALUES (?, ?, 0, ?)", rows)


# SQLite's JSON functions are built in from 3.38 (before, only where it was compiled with them; a
# build without them is found at the first insert).
_JSON_ROWS = sqlite3.sqlite_version_info >= (3, 38, 0)


def _delete_feed(conn: sqlite3.Connection, feed_id: int) -> None:
    """Remove a feed with its entries (their rows in other tables go with them: foreign keys and
    triggers), their search rows, and the stories its entries leave with a single copy (no story)."""
    conn.execute("DELETE FROM search WHERE rowid IN (SELECT id FROM entries WHERE feed_id = ?)", (feed_id,))
    conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
    conn.execute(
        """UPDATE entries SET story = NULL WHERE story IN (
               SELECT story FROM entries WHERE story IS NOT NULL GROUP BY story HAVING count(*) = 1)"""
    )


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
    return int(max(version, target))


class Store:
    """One SQLite connection, shared by threads behind a lock; every write is one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = self._connect(str(path))
        # Story keys this process stored with new entries (entry id → keys blob), committed, not yet
        # placed: the stories pass takes them here rather than reading the rows back (`unplaced_texts`);
        # those of an uncommitted transaction wait in `_tx_keyed`. `_keyed_version`: the database's
        # data_version after the last of them was committed (another connection's commit changes it).
        self._keyed: dict[int, bytes] = {}
        self._tx_keyed: dict[int, bytes] = {}
        self._keyed_version: int | None = None

    @staticmethod
    def _connect(path: str) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            # A new database gets 16 KiB pages (SQLite's default is 4 KiB; an existing file keeps its
            # own, this is a no-op there): a refresh writes rows of 1–2 KB of text with their search
            # rows and indexes, and with four times fewer pages to write, log and checkpoint, storing
            # 5,000 entries takes ~15 % less CPU (benchmarks/RESULTS.md, refresh8). It must come
            # before the journal mode, which writes the file's first page.
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 10000")
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        return conn

    def fork(self) -> int:
        """`os.fork()` with this store's connection closed across it: an SQLite connection must not
        cross a fork (the child would share its lock bookkeeping and its WAL index mapping). The
        parent gets the connection back, opened again; in the child (0 returned) this store stays
        closed and must not be used: it opens its own. For a file database, in a process that runs
        no other thread (the `refresh` command's writer: tui.core.feeds.writer)."""
        import os

        with self._lock:
            self._conn.close()
            try:
                pid = os.fork()
            except OSError:
                self._conn = self._connect(str(self.path))
                raise
            if pid:
                self._conn = self._connect(str(self.path))
            return pid

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
            return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- feeds ------------------------------------------------------------------------------------

    _FEED_SQL = """
        SELECT f.*,
               (SELECT group_concat(tag, char(31)) FROM feed_tags t WHERE t.feed_id = f.id) AS tags,
               COALESCE(c.total, 0) AS total, COALESCE(c.unread, 0) AS unread
        FROM feeds f
        LEFT JOIN (SELECT feed_id, COUNT(*) AS total, SUM(read = 0) AS unread
                   FROM entries WHERE ignored = 0 GROUP BY feed_id) c ON c.feed_id = f.id
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
            synced=row["remote_id"] is not None,
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
                feed_id = _rowid(conn.execute(
                    "INSERT INTO feeds (url, title, title_from_user, added_at) VALUES (?, ?, ?, ?)",
                    (url, title or "", bool(title), _now()),
                ))
            else:
                feed_id = int(row["id"])
                if title:  # the user's title replaces the feed's own, never another title of theirs
                    conn.execute(
                        "UPDATE feeds SET title = ?, title_from_user = 1"
                        " WHERE id = ? AND (title = '' OR title_from_user = 0)",
                        (title, feed_id),
                    )
            conn.executemany(
                "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                [(feed_id, t) for t in _known_spelling(conn, tags)],
            )
        feed = self.feed(feed_id)
        assert feed is not None
        return feed, created

    def remove_feed(self, url: str) -> bool:
        with self._tx() as conn:
            row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                return False
            # A feed kept by the sync server is unsubscribed there at the next sync.
            conn.execute(
                """INSERT OR REPLACE INTO sync_feed_queue (remote_id, action, url, queued_at)
                   SELECT remote_id, 'unsubscribe', url, ? FROM feeds
                   WHERE id = ? AND remote_id IS NOT NULL""",
                (_now(), row["id"]),
            )
            _delete_feed(conn, row["id"])
        return True

    def set_feed_tags(self, feed_id: int, tags: Iterable[str]) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                [(feed_id, t) for t in _known_spelling(conn, tags)],
            )

    def set_feed_title(self, feed_id: int, title: str) -> None:
        with self._tx() as conn:
            # An empty title hands the name back to the feed's own on the next refresh.
            conn.execute(
                "UPDATE feeds SET title = ?, title_from_user = ? WHERE id = ?", (title, bool(title), feed_id)
            )

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
        ignored: Collection[str] = (),
        prefetch_verdicts: Mapping[str, str | None] | None = None,
    ) -> tuple[int, int]:
        """Store one feed's refresh in one transaction; returns (new, updated) entry counts.

        New entries whose guid is in `ignored` (kill rules matched them) are stored flagged; new
        entries whose guid has a reason in `prefetch_verdicts` get it as a "skipped" prefetch (the
        refresh classified them while it held their text: see prefetch.classify_parsed).
        """
        keyless: list[tuple[int, str, str]] = []
        with self._tx() as conn:
            result = self._apply_refresh(
                conn, feed_id, checked_at=checked_at, status=status, error=error, parsed=parsed,
                etag=etag, last_modified=last_modified, next_due=next_due, new_url=new_url,
                ignored=ignored, prefetch_verdicts=prefetch_verdicts, keyless=keyless,
            )[:2]
            self._key_new_entries(conn, keyless)
        return result

    def apply_refresh_many(
        self, updates: Sequence[tuple[int, Mapping[str, Any]]]
    ) -> list[tuple[int, int, int, list[int]]]:
        """Several feeds' refresh results (apply_refresh's keyword arguments) in one transaction;
        returns each one's (new, updated) entry counts, then the prefetch skips it recorded and the
        ids of the new entries whose verdict was None (teasers: their pages are to be fetched).

        For the many small updates of a refresh (a 304, a failure), and for feeds parsed while
        another was being stored: one commit instead of one each (each commit also flushes a
        segment of the search index, which later has to be merged). Each feed stays whole: if
        one update fails, none of them is stored.
        """
        if not updates:
            return []
        keyless: list[tuple[int, str, str]] = []
        with self._tx() as conn:
            results = [self._apply_refresh(conn, feed_id, keyless=keyless, **kwargs) for feed_id, kwargs in updates]
            self._key_new_entries(conn, keyless)
        return results

    def _key_new_entries(self, conn: sqlite3.Connection, keyless: Sequence[tuple[int, str, str]]) -> None:
        """Store the story keys of a transaction's new entries (id, feed text, fetched at), all its
        feeds' in one call and one INSERT, not one a feed (a 5,000-entry refresh writes its 200 feeds
        in ~4 transactions), and keep them for this process's next stories pass."""
        if keyless and (keys_of := _story_keys()) is not None:
            # The search index's rows of this transaction are written out now, as its commit would
            # (nothing writes the index after this): the sketch rows' one INSERT opens a statement
            # savepoint, which would write them out within it (FTS5 syncs at each savepoint).
            conn.execute("SAVEPOINT search_rows")
            conn.execute("RELEASE search_rows")
            _insert_story_keys(conn, keyless, keys_of, self._tx_keyed)

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
        ignored: Collection[str] = (),
        prefetch_verdicts: Mapping[str, str | None] | None = None,
        keyless: list[tuple[int, str, str]],
    ) -> tuple[int, int, int, list[int]]:
        new = updated = 0
        skips: list[tuple[int, str]] = []
        fetch: list[int] = []
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
                sets.append("title = CASE WHEN title_from_user THEN title ELSE ? END")
                args.append(parsed.title)
            if parsed.site_url:
                sets.append("site_url = ?")
                args.append(parsed.site_url)
        conn.execute(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?", (*args, feed_id))
        if parsed is not None and parsed.entries:
            new, updated = self._upsert_entries(
                conn, feed_id, parsed, checked, ignored, prefetch_verdicts, skips, fetch, keyless=keyless
            )
            if skips:
                now = _now()
                conn.executemany(
                    """INSERT INTO prefetch (entry_id, status, reason, attempts, bytes, tried_at)
                       VALUES (?, 'skipped', ?, 1, 0, ?)""",
                    [(entry_id, reason, now) for entry_id, reason in skips],
                )
        return new, updated, len(skips), fetch

    @staticmethod
    def _upsert_entries(
        conn: sqlite3.Connection, feed_id: int, parsed: ParsedFeed, fetched_at: str | None,
        ignored: Collection[str] = (), verdicts: Mapping[str, str | None] | None = None,
        skips: list[tuple[int, str]] | None = None, fetch: list[int] | None = None,
        *, keyless: list[tuple[int, str, str]],
    ) -> tuple[int, int]:
        """Insert or update a feed's entries; returns (new, updated). New entries with a verdict
        (`verdicts`, guid → reason) go to `skips` (id, reason), or to `fetch` when it is None. The new
        entries to key for stories (id, feed text, fetched at) go to `keyless` (the caller stores
        their keys once for its whole transaction, `_key_new_entries`)."""
        by_guid: dict[str, tuple[int, str]] = {}
        by_link: dict[str, tuple[int, str]] = {}
        by_hash: dict[str, tuple[int, str]] = {}
        current = {item.guid for item in parsed.entries}
        updated_at: dict[int, str | None] = {}
        for row in conn.execute(
            "SELECT id, guid, link, content_hash, updated FROM entries WHERE feed_id = ?", (feed_id,)
        ):
            by_guid[row[1]] = (row[0], row[3])
            updated_at[row[0]] = row[4]
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
        keys_of = _story_keys()
        # New entries: their rows and search rows, inserted together after the loop.
        rows: list[tuple[object, ...]] = []
        texts: list[tuple[int, str, str]] = []
        with_enclosures: list[tuple[int, ParsedEntry]] = []
        next_id: int | None = None
        stamp = fetched_at or _now()
        # A feed that gives every entry the same updated date stamps its own build time, not edits:
        # nothing is fetched again for it.
        stamped = len(parsed.entries) >= 3 and len({item.updated for item in parsed.entries}) == 1
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
                    if item.updated is not None and updated_at.get(existing_id) != values[4]:
                        _updated_in_place(conn, existing_id, updated_at.get(existing_id), values[4], refetch=not stamped)
                    continue
                seen.add(existing_id)
                _keep_version(conn, existing_id)
                conn.execute(
                    """UPDATE entries SET title = ?, link = ?, author = ?, published = ?, updated = ?,
                       summary = ?, content = ?, content_hash = ? WHERE id = ?""",
                    (*values, existing_id),
                )
                # The text changed, so the cleaned copy is stale.
                conn.execute("DELETE FROM readings WHERE entry_id = ?", (existing_id,))
                conn.execute("DELETE FROM search WHERE rowid = ?", (existing_id,))
                conn.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                    (existing_id, item.title, _plain(item.summary + " " + item.content)),
                )
                if item.enclosures:
                    conn.execute("DELETE FROM enclosures WHERE entry_id = ?", (existing_id,))
                    _put_enclosures(conn, existing_id, item)
                updated += 1
            else:
                if next_id is None:
                    next_id = _next_entry_id(conn)
                entry_id, next_id = next_id, next_id + 1
                rows.append((entry_id, feed_id, item.guid, *values, stamp, int(item.guid in ignored)))
                texts.append((entry_id, item.title, _plain(item.summary + " " + item.content)))
                if keys_of is not None:
                    keyless.append((entry_id, item.content or item.summary, stamp))
                if item.enclosures:
                    with_enclosures.append((entry_id, item))
                seen.add(entry_id)
                by_guid[item.guid] = (entry_id, item.content_hash)
                if verdicts and item.guid in verdicts:
                    if (reason := verdicts[item.guid]) is not None:
                        if skips is not None:
                            skips.append((entry_id, reason))
                    elif fetch is not None:
                        fetch.append(entry_id)
                new += 1
        if rows:
            # The feed's new entries in one statement each for their rows and their search rows (not
            # two per entry), with the ids SQLite would have given them one by one (`_next_entry_id`).
            conn.executemany(
                """INSERT INTO entries (id, feed_id, guid, title, link, author, published, updated,
                   summary, content, content_hash, fetched_at, ignored)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                rows,
            )
            conn.executemany("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", texts)
            for entry_id, item in with_enclosures:
                _put_enclosures(conn, entry_id, item)
        return new, updated

    # -- entries ----------------------------------------------------------------------------------

    _ENTRY_LIGHT = """
        SELECT e.id, e.feed_id, e.guid, e.title, e.link, e.author, e.published, e.updated,
               '' AS summary, '' AS content, e.read, e.starred, f.title AS feed_title, f.url AS feed_url
        FROM entries e JOIN feeds f ON f.id = e.feed_id
    """
    _ORDER = " ORDER BY COALESCE(e.published, e.fetched_at) DESC, e.id DESC"

    @staticmethod
    def _entry(row: sqlite3.Row, shared: dict[str, str] | None = None) -> Entry:
        """An entry from its row; `shared`: one string for each feed title, URL and author across the rows made."""
        feed_url, feed_title, author = row["feed_url"], row["feed_title"] or row["feed_url"], row["author"]
        if shared is not None:
            feed_url, feed_title = shared.setdefault(feed_url, feed_url), shared.setdefault(feed_title, feed_title)
            author = author if author is None else shared.setdefault(author, author)
        return Entry(
            id=row["id"],
            feed_id=row["feed_id"],
            guid=row["guid"],
            title=row["title"],
            link=row["link"],
            author=author,
            published=_dt(row["published"]),
            updated=_dt(row["updated"]),
            summary=row["summary"],
            content=row["content"],
            read=bool(row["read"]),
            starred=bool(row["starred"]),
            feed_title=feed_title,
            feed_url=feed_url,
        )

    def entries(
        self,
        *,
        feed_id: int | None = None,
        unread_only: bool = False,
        starred_only: bool = False,
        limit: int | None = None,
        offset: int = 0,
        ignored: bool = False,
    ) -> list[Entry]:
        """Entries newest first, without their summary and content (see `entry` for those).

        Entries hidden by kill rules are left out, or are the only ones given with `ignored`.
        """
        sql, args = self._light_query(feed_id, unread_only, starred_only, ignored, limit, offset)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [self._entry(r) for r in rows]

    def _light_query(
        self, feed_id: int | None, unread_only: bool, starred_only: bool, ignored: bool, limit: int | None, offset: int
    ) -> tuple[str, list[object]]:
        where: list[str] = ["e.ignored = ?"]
        args: list[object] = [int(ignored)]
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
        return sql, args

    # The fields of `light_rows`, in order.
    LIGHT_FIELDS = ("id", "feed_id", "guid", "title", "link", "author", "published", "updated", "read", "starred",
                    "feed_title", "feed_url")

    def light_rows(
        self, *, feed_id: int | None = None, unread_only: bool = False, starred_only: bool = False,
        limit: int | None = None, offset: int = 0,
    ) -> list[tuple[Any, ...]]:
        """What `entries` lists, as plain tuples of LIGHT_FIELDS (dates parsed, feed strings shared).

        For a caller that keeps 100,000 entries in columns instead of as Entry objects (the
        app's entry list): no Entry and no sqlite3.Row is made per entry.
        """
        sql, args = self._light_query(feed_id, unread_only, starred_only, False, limit, offset)
        with self._lock:
            cursor = self._conn.cursor()
            cursor.row_factory = None
            rows = cursor.execute(sql, args).fetchall()
        shared: dict[str, str] = {}
        out = []
        for r in rows:
            feed_url = shared.setdefault(r[13], r[13])
            author = r[5] if r[5] is None else shared.setdefault(r[5], r[5])
            out.append((r[0], r[1], r[2], r[3], r[4], author, _dt(r[6]), _dt(r[7]), bool(r[10]), bool(r[11]),
                        shared.setdefault(r[12] or r[13], r[12] or r[13]), feed_url))
        return out

    def entry(self, entry_id: int) -> Entry | None:
        """One entry with its summary and content."""
        with self._lock:
            row = self._conn.execute(
                """SELECT e.*, f.title AS feed_title, f.url AS feed_url
                   FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE e.id = ?""",
                (entry_id,),
            ).fetchone()
        return self._entry(row) if row else None

    def has_feeds(self) -> bool:
        """Whether anything is subscribed (one row read, not every feed with its counts)."""
        with self._lock:
            return self._conn.execute("SELECT 1 FROM feeds LIMIT 1").fetchone() is not None

    def count_starred(self) -> int:
        """Starred entries not hidden by kill rules, from the partial index of starred entries.

        The same count through count_entries(starred_only=True) is planned as a scan of an index
        of every entry (190 ms at 100,000 entries, against 0.03 ms here).
        """
        with self._lock:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM entries INDEXED BY entries_starred WHERE starred = 1 AND ignored = 0"
            ).fetchone()
        return int(row[0])

    def last_entry_id(self) -> int:
        """The newest entry's id (0 with none): entries stored later have larger ones."""
        with self._lock:
            return _max_entry_id(self._conn)

    def entries_after(self, feed_id: int, entry_id: int) -> int:
        """How many of a feed's entries were stored after the entry `entry_id` (see last_entry_id)."""
        with self._lock:
            return int(self._conn.execute(
                "SELECT COUNT(*) FROM entries WHERE feed_id = ? AND id > ?", (feed_id, entry_id)
            ).fetchone()[0])

    def count_entries(self, *, unread_only: bool = False, starred_only: bool = False) -> int:
        where = [w for w, on in (("read = 0", unread_only), ("starred = 1", starred_only)) if on]
        where.append("ignored = 0")
        sql = "SELECT COUNT(*) FROM entries WHERE " + " AND ".join(where)
        with self._lock:
            return int(self._conn.execute(sql).fetchone()[0])

    def _set_flag(self, column: str, ids: Sequence[int], value: bool) -> int:
        ids = list(ids)
        if not ids:
            return 0
        with self._tx() as conn:
            total = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                if column in SYNCED_FLAGS:  # hidden by a kill rule is this reader's own business
                    _queue_change(conn, column, value, f"id IN ({marks})", chunk)
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
            _queue_change(conn, "read", True, "feed_id = ? AND read = 0", (feed_id,))
            return conn.execute(
                "UPDATE entries SET read = 1 WHERE feed_id = ? AND read = 0", (feed_id,)
            ).rowcount

    def search(self, query: str, limit: int = 200, *, feed_id: int | None = None) -> list[Entry]:
        """Entries whose title or text match `query`: its words, all required ("A OR B": either), the
        last one as a prefix while it is being typed (not once punctuation ends it: "C++" is the word C)."""
        query = re.sub(r"\s+OR\s*$", "", query)  # the next alternative not typed yet
        groups = [[f'"{w}"' for w in re.findall(r"\w+", part)] for part in re.split(r"\s+OR\s+", query.strip())]
        groups = [g for g in groups if g]
        if not groups:
            return []
        if re.search(r"\w$", query):
            groups[-1][-1] += "*"  # the word still being typed
        match = " OR ".join("(" + " ".join(g) + ")" for g in groups)
        sql = self._ENTRY_LIGHT + " JOIN search s ON s.rowid = e.id WHERE search MATCH ? AND e.ignored = 0"
        args: list[object] = [match]
        if feed_id is not None:
            sql += " AND e.feed_id = ?"
            args.append(feed_id)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY s.rank LIMIT ?", (*args, limit)).fetchall()
        return [self._entry(r) for r in rows]

    # -- filters, kill rules and enclosures -------------------------------------------------------

    # Record columns a filter may read (see tui.core.filters.Record); the costly ones are
    # selected only when the filter reads them.
    _RECORD_COLUMNS: ClassVar[dict[str, str]] = {
        "summary": "e.summary",
        "content": "e.content",
        "tags": "(SELECT group_concat(tag, char(31)) FROM feed_tags t WHERE t.feed_id = e.feed_id)",
        "site_url": "f.site_url",
        "enclosure_url": "(SELECT url FROM enclosures x WHERE x.entry_id = e.id ORDER BY position LIMIT 1)",
        "enclosure_type": "(SELECT type FROM enclosures x WHERE x.entry_id = e.id ORDER BY position LIMIT 1)",
        # The feed's counts as its row in the feeds pane shows them (entries hidden by kill rules left
        # out), from _COUNTS_JOIN: counted once per feed, not once per entry (8 s at 100,000 entries).
        "unread_count": "coalesce(c.unread, 0)",
        "total_count": "coalesce(c.total, 0)",
    }
    _COUNTS_JOIN = (" LEFT JOIN (SELECT feed_id, count(*) AS total, sum(read = 0) AS unread FROM entries"
                    " WHERE ignored = 0 GROUP BY feed_id) c ON c.feed_id = e.feed_id")

    @classmethod
    def _record_from(cls, keys: Iterable[str]) -> str:
        """The FROM clause of filter records that read `keys`."""
        counts = not {"unread_count", "total_count"}.isdisjoint(keys)
        return " FROM entries e JOIN feeds f ON f.id = e.feed_id" + (cls._COUNTS_JOIN if counts else "")

    def records(
        self,
        keys: Iterable[str],
        *,
        feed_id: int | None = None,
        unread_only: bool = False,
        starred_only: bool = False,
        ignored: bool | None = False,
        fetched_since: datetime | None = None,
    ) -> list[sqlite3.Row]:
        """Rows for filters, newest first: every light Entry column plus the `keys` a filter reads.

        `ignored`: False leaves out entries hidden by kill rules, True gives only those, None both.
        `fetched_since`: only entries stored since then.
        """
        keys = set(keys)
        extra = "".join(
            f", {self._RECORD_COLUMNS[k]} AS {k}" if k in keys else f", '' AS {k}"
            for k in self._RECORD_COLUMNS
        )
        sql = (
            "SELECT e.id, e.feed_id, e.guid, e.title, e.link, e.author, e.published, e.updated,"
            " e.fetched_at, e.read, e.starred, e.ignored, f.title AS feed_title, f.url AS feed_url"
            + extra + self._record_from(keys)
        )
        where: list[str] = []
        args: list[object] = []
        if ignored is not None:
            where.append("e.ignored = ?")
            args.append(int(ignored))
        if feed_id is not None:
            where.append("e.feed_id = ?")
            args.append(feed_id)
        if fetched_since is not None:
            where.append("e.fetched_at >= ?")
            args.append(_iso(fetched_since))
        if unread_only:
            where.append("e.read = 0")
        if starred_only:
            where.append("e.starred = 1")
        sql += (" WHERE " + " AND ".join(where) if where else "") + self._ORDER
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    _LIGHT_COLUMNS = (
        "id", "feed_id", "guid", "title", "link", "author", "published", "updated", "fetched_at",
        "read", "starred", "ignored", "feed_title", "feed_url",
    )
    _LIGHT_SQL = (
        "e.id, e.feed_id, e.guid, e.title, e.link, e.author, e.published, e.updated, e.fetched_at,"
        " e.read, e.starred, e.ignored, f.title AS feed_title, f.url AS feed_url"
    )
    _RECORD_BASE: ClassVar[dict[str, str]] = {
        "id": "e.id", "guid": "e.guid", "title": "e.title", "link": "e.link", "author": "e.author",
        "published": "e.published", "fetched_at": "e.fetched_at", "read": "e.read",
        "starred": "e.starred", "feed_title": "f.title", "feed_url": "f.url",
    }

    def record_tuples(
        self,
        keys: Iterable[str],
        *,
        feed_id: int | None = None,
        unread_only: bool = False,
        starred_only: bool = False,
        ignored: bool | None = False,
        where: Sequence[str] = (),
        args: Sequence[object] = (),
        light: bool = True,
    ) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
        """(column names, plain rows) for filters, newest first: the light Entry columns (or only
        the id without `light`) and the `keys` a filter reads. `where`/`args`: extra SQL conditions
        on entries `e` and feeds `f` (a filter's prefilter). Tuples, not Rows: a third cheaper."""
        wanted = set(keys)
        if light:
            columns = list(self._LIGHT_COLUMNS)
            select = [self._LIGHT_SQL]
        else:
            columns, select = ["id"], ["e.id"]
        for key in sorted(wanted - set(columns)):
            sql = self._RECORD_BASE.get(key) or self._RECORD_COLUMNS.get(key)
            if sql is None:
                raise ValueError(f"not a record key: {key}")
            columns.append(key)
            select.append(sql)
        conditions, values = list(where), list(args)
        if ignored is not None:
            conditions.append("e.ignored = ?")
            values.append(int(ignored))
        if feed_id is not None:
            conditions.append("e.feed_id = ?")
            values.append(feed_id)
        if unread_only:
            conditions.append("e.read = 0")
        if starred_only:
            conditions.append("e.starred = 1")
        sql = f"SELECT {', '.join(select)}" + self._record_from(wanted)
        sql += (" WHERE " + " AND ".join(conditions) if conditions else "") + self._ORDER
        with self._lock:
            cursor = self._conn.cursor()
            cursor.row_factory = None
            rows = cursor.execute(sql, values).fetchall()
        return tuple(columns), rows

    @staticmethod
    def light_entry(row: sqlite3.Row | tuple[object, ...]) -> Entry:
        """The Entry (without summary and content) of a `records` or light `record_tuples` row."""
        feed_title, feed_url = row[12], row[13]
        return Entry(
            id=row[0],  # type: ignore[arg-type]
            feed_id=row[1],  # type: ignore[arg-type]
            guid=row[2],  # type: ignore[arg-type]
            title=row[3],  # type: ignore[arg-type]
            link=row[4],  # type: ignore[arg-type]
            author=row[5],  # type: ignore[arg-type]
            published=_dt(row[6]),  # type: ignore[arg-type]
            updated=_dt(row[7]),  # type: ignore[arg-type]
            read=bool(row[9]),
            starred=bool(row[10]),
            feed_title=feed_title or feed_url,  # type: ignore[arg-type]
            feed_url=feed_url,  # type: ignore[arg-type]
        )

    def set_ignored(self, ids: Sequence[int], ignored: bool = True) -> int:
        """Hide entries as a kill rule would, or bring them back."""
        return self._set_flag("ignored", ids, ignored)

    def enclosures(self, entry_id: int) -> list[Enclosure]:
        """The files attached to an entry, in the feed's order."""
        from tui.core.models import Enclosure  # with the first article opened, not before the first frame

        with self._lock:
            rows = self._conn.execute(
                "SELECT url, type, length, duration FROM enclosures WHERE entry_id = ? ORDER BY position",
                (entry_id,),
            ).fetchall()
        return [Enclosure(r[0], r[1], r[2], r[3]) for r in rows]

    def enclosure_path(self, entry_id: int, url: str) -> str | None:
        """Where an enclosure is (being) downloaded, once a download chose a name for it."""
        with self._lock:
            row = self._conn.execute(
                "SELECT path FROM enclosures WHERE entry_id = ? AND url = ?", (entry_id, url)
            ).fetchone()
        return row[0] if row else None

    def set_enclosure_path(self, entry_id: int, url: str, path: str | Path) -> None:
        with self._tx() as conn:
            conn.execute(
                "UPDATE enclosures SET path = ? WHERE entry_id = ? AND url = ?", (str(path), entry_id, url)
            )

    # -- cleaned articles and saves ---------------------------------------------------------------

    def get_reading(self, entry_id: int, digest: str) -> str | None:
        """The cached Reading (JSON, `schema.reading_to_json`) when it was made under rules `digest`."""
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM readings WHERE entry_id = ? AND digest = ?", (entry_id, digest)
            ).fetchone()
        return row[0] if row else None

    def put_reading(
        self, entry_id: int, digest: str, data: str, text: str = "", *, new_version: bool = False,
        headline: str | None = None,
    ) -> None:
        """Cache a Reading; its article text joins the search index. With `new_version` (its page
        now says something else), the entry's earlier text and reading are kept as a version first.
        `headline`: the page's headline replaces the entry's title (which was only the story's
        opening words cut short), in the list and the search index."""
        with self._tx() as conn:
            if not conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone():
                return  # the entry was removed meanwhile (its feed unsubscribed)
            if new_version:
                _keep_version(conn, entry_id)
            if headline:
                conn.execute("UPDATE entries SET title = ? WHERE id = ?", (headline, entry_id))
            conn.execute(
                "INSERT OR REPLACE INTO readings (entry_id, digest, data, made_at) VALUES (?, ?, ?, ?)",
                (entry_id, digest, data, _now()),
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

    # -- stories, prefetch and versions (issue 14) --------------------------------------------------

    def prefetch_candidates(
        self, *, limit: int, retry_before: str, max_attempts: int, since: str | None = None,
        skip_feeds: Sequence[int] = (), recheck_before: str | None = None, before_id: int | None = None,
    ) -> list[tuple[int, str, str, str, str]]:
        """(id, link, title, summary, content) of entries to fetch in full: no cached reading,
        not fetched yet (or failed before `retry_before`, fewer than `max_attempts` times), or
        "stale" (their feed says they were updated) and last fetched before `recheck_before`; not in
        `skip_feeds`; newest first."""
        sql = """
            SELECT e.id, e.link, e.title, e.summary, e.content FROM entries e
            JOIN feeds f ON f.id = e.feed_id
            LEFT JOIN prefetch p ON p.entry_id = e.id
            WHERE e.link IS NOT NULL AND e.link != ''
              AND ((NOT EXISTS (SELECT 1 FROM readings a WHERE a.entry_id = e.id)
                    AND (p.entry_id IS NULL OR (p.status = 'failed' AND p.tried_at < ? AND p.attempts < ?)))
                   OR (p.status = 'stale' AND p.tried_at <= ?))
        """
        args: list[object] = [retry_before, max_attempts, recheck_before or retry_before]
        if skip_feeds:
            sql += f" AND e.feed_id NOT IN ({','.join('?' * len(skip_feeds))})"
            args.extend(skip_feeds)
        if since is not None:
            sql += " AND e.fetched_at >= ?"
            args.append(since)
        if before_id is not None:  # the next batch, newest first
            sql += " AND e.id < ?"
            args.append(before_id)
        sql += " ORDER BY e.id DESC LIMIT ?"
        args.append(limit)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def record_prefetch(self, entry_id: int, status: str, reason: str | None = None, size: int = 0) -> None:
        """Remember a prefetch: "ok", "skipped" (the feed has the full text) or "failed" with its reason."""
        self.record_prefetch_many([(entry_id, status, reason, size)])

    def record_prefetch_many(self, records: Iterable[tuple[int, str, str | None, int]]) -> None:
        """`record_prefetch` for many entries, (entry id, status, reason, size) each, in one transaction.

        For the entries a prefetch pass skips (their feed has the full text): 800 transactions of
        one row each cost a refresh ~0.13 s of CPU, one of 800 rows ~15 ms.
        """
        now = _now()
        records = list(records)
        with self._tx() as conn:
            conn.executemany(
                """INSERT INTO prefetch (entry_id, status, reason, attempts, bytes, tried_at)
                   SELECT ?, ?, ?, 1, ?, ? WHERE EXISTS (SELECT 1 FROM entries WHERE id = ?)
                   ON CONFLICT (entry_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                   attempts = prefetch.attempts + 1, bytes = excluded.bytes, tried_at = excluded.tried_at""",
                [(e, status, reason, size, now, e) for e, status, reason, size in records],
            )
            # The full text replaces the summary it was grouped by.
            conn.executemany(
                "UPDATE story_sketches SET keys = x'' WHERE entry_id = ?", [(e,) for e, status, _, _ in records if status == "ok"]
            )

    def prefetch_state(self, entry_id: int) -> tuple[str, str | None, int] | None:
        """(status, reason, attempts) of an entry's prefetch, or None when never tried."""
        with self._lock:
            row = self._conn.execute(
                "SELECT status, reason, attempts FROM prefetch WHERE entry_id = ?", (entry_id,)
            ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def unplaced_texts(self, batch: int = 500) -> Iterator[list[UnplacedRow]]:
        """(id, story, stored keys, text, cached reading JSON or None, fetched_at) of entries not yet
        placed in stories, oldest first, a batch at a time (a large refresh's texts are never all in
        memory). The text (the content, else the summary) is read only where the keys stored with
        the entry cannot serve: emptied (placed again, or stored without), or a cleaned reading to key by.
        (`unplaced` with its runs of stored keys as rows too, with no fetch time.)
        """
        for part in self.unplaced(batch):
            if isinstance(part, list):
                yield part
                continue
            ids, blobs = part
            for at in range(0, len(ids), batch):
                yield [(e, None, b, None, None, "") for e, b in zip(ids[at : at + batch], blobs[at : at + batch], strict=True)]

    def unplaced(self, batch: int = 500) -> Iterator[list[UnplacedRow] | tuple[list[int], list[bytes]]]:
        """The entries not yet placed in stories, oldest first: batches of `unplaced_texts` rows of
        those to key from their texts and, between them, runs of (ids, keys blobs) of those whose
        stored keys serve (the pass after a refresh: thousands of entries, made into no rows; their
        keys from memory when this process stored them and still holds them, not read back).

        Those are the entries marked to be placed again (their text changed: a partial index) and
        those above the mark the pass leaves, found in their sketch rows (every entry has one): no
        entry's (large) row is visited that needs no text, whatever the archive's size.
        """
        with self._lock:
            high = self._placed_to(self._conn)
            again = [
                r[0]
                for r in self._conn.execute(
                    "SELECT entry_id FROM story_sketches WHERE keys = x'' AND entry_id <= ? ORDER BY 1", (high,)
                )
            ]
            known, self._keyed = self._keyed, {}
        for at in range(0, len(again), batch):
            if rows := self._with_texts(again[at : at + batch]):
                yield rows
        if known:
            yield from self._unplaced_known(high, known, batch)
        else:
            yield from self._unplaced_rows(high, batch)

    def _unplaced_rows(self, high: int, batch: int) -> Iterator[list[UnplacedRow] | tuple[list[int], list[bytes]]]:
        """`unplaced` above the mark, from their sketch rows: the stored keys of those that need no
        text as runs of (ids, keys blobs), as from memory."""
        while True:
            with self._lock:
                cursor = self._conn.cursor()
                cursor.row_factory = None  # (plain tuples: thousands of rows)
                sketches = cursor.execute(
                    """SELECT s.entry_id, s.keys, r.entry_id IS NOT NULL
                       FROM story_sketches s LEFT JOIN readings r ON r.entry_id = s.entry_id
                       WHERE s.entry_id > ? ORDER BY s.entry_id LIMIT ?""",
                    (high, batch),
                ).fetchall()
            if not sketches:
                return
            high = sketches[-1][0]
            ids, keys_of, read_of = zip(*sketches, strict=True)
            if all(keys_of) and not any(read_of):  # (most batches: no entry to key from its text)
                yield list(ids), list(keys_of)
                continue
            texts = {row[0]: row for row in self._with_texts([e for e, keys, read in sketches if read or not keys])}
            rows: list[UnplacedRow] = []
            run: list[int] = []
            blobs: list[bytes] = []
            for e, keys, read in sketches:
                if read or not keys:
                    if e in texts:  # (an entry deleted meanwhile is left out)
                        if run:
                            yield run, blobs
                            run, blobs = [], []
                        rows.append(texts[e])
                else:
                    if rows:
                        yield rows
                        rows = []
                    run.append(e)
                    blobs.append(keys)
            if rows:
                yield rows
            if run:
                yield run, blobs

    def _unplaced_known(
        self, high: int, known: Mapping[int, bytes], batch: int
    ) -> Iterator[list[UnplacedRow] | tuple[list[int], list[bytes]]]:
        """`unplaced` above the mark when this process stored the keys of those entries (the refresh
        that runs the pass): their keys from memory, not read back, when the rows above the mark are
        sure to be theirs; else every row is read, as without.

        Sure when no other connection has committed since (`PRAGMA data_version`: none can have added
        a row, or reused the id of an entry it removed) and no row lies between the mark and the
        first entry held (one stored before this process held keys, by another process or with keys
        dropped since: a new entry's id is one more than the largest, so every row stored before an
        entry held has a smaller id). Above that, this connection adds no row but with keys it holds
        (`_insert_story_keys`) or emptied (x'': stored to be keyed from its text, or placed again;
        the pass's own keyed rows are at or below the mark it saves with them), so the rows from the
        first held entry up are the held ones still there and the emptied ones: counting them tells
        whether a held entry was removed since (then their ids are read, to leave those out).
        Those emptied or with a cleaned reading (a prefetched page) are read with their texts."""
        with self._lock:
            conn = self._conn
            held = sorted(known) if conn.execute("PRAGMA data_version").fetchone()[0] == self._keyed_version else []
            del held[: bisect.bisect_right(held, high)]  # (none expected: a pass takes the keys it places)
            if held and conn.execute(
                "SELECT 1 FROM story_sketches WHERE entry_id > ? AND entry_id < ? LIMIT 1", (high, held[0])
            ).fetchone():
                held = []  # rows stored before these keys were held: the rows say it all
            special: set[int] = set()
            if held:
                emptied = {r[0] for r in conn.execute(
                    "SELECT entry_id FROM story_sketches WHERE keys = x'' AND entry_id > ?", (high,))}
                strangers = sum(1 for e in emptied if e not in known)
                there = conn.execute("SELECT count(*) FROM story_sketches WHERE entry_id >= ?", (held[0],)).fetchone()[0]
                if there != len(held) + strangers:  # held entries removed since: those are left out
                    ids = [r[0] for r in conn.execute(
                        "SELECT entry_id FROM story_sketches WHERE entry_id >= ? ORDER BY 1", (held[0],))]
                    if all(e in known or e in emptied for e in ids):
                        present = set(ids)
                        held = [e for e in held if e in present]
                    else:
                        held = []  # (not expected: a row neither held nor emptied)
            if held:
                special.update(emptied)
                special.update(r[0] for r in conn.execute(
                    "SELECT entry_id FROM readings WHERE entry_id >= ?", (held[0],)) if r[0] in known)
        if not held:
            yield from self._unplaced_rows(high, batch)
            return
        if not special:
            yield held, list(map(known.__getitem__, held))
            return
        # Runs of held entries between those read with their texts, in id order.
        held = [e for e in held if e not in special]
        texts = sorted(special)
        at = 0
        while at < len(texts):
            cut = bisect.bisect_left(held, texts[at])
            if cut:
                yield held[:cut], list(map(known.__getitem__, held[:cut]))
                held = held[cut:]
            upto = min(bisect.bisect_left(texts, held[0]) if held else len(texts), at + batch)
            if rows := self._with_texts(texts[at:upto]):  # (an entry deleted meanwhile is left out)
                yield rows
            at = upto
        if held:
            yield held, list(map(known.__getitem__, held))

    def _with_texts(self, ids: Sequence[int]) -> list[UnplacedRow]:
        """`unplaced_texts` rows of these entries with their texts, in id order."""
        if not ids:
            return []
        with self._lock:
            return self._conn.execute(
                f"""SELECT e.id, e.story, s.keys, coalesce(nullif(e.content, ''), e.summary, ''), r.data, e.fetched_at
                    FROM entries e LEFT JOIN story_sketches s ON s.entry_id = e.id
                    LEFT JOIN readings r ON r.entry_id = e.id
                    WHERE e.id IN ({','.join('?' * len(ids))}) ORDER BY e.id""",
                list(ids),
            ).fetchall()

    @staticmethod
    def _placed_to(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT placed_to FROM story_mark").fetchone()
        return int(row[0]) if row else 0

    def sketch_keys(self, since: str | None = None) -> list[tuple[int, bytes, int | None]]:
        """(entry id, retrieval keys, story) of entries placed in stories (fetched since `since`).

        From the sketch rows alone, and the stories from their partial index: a pass that restores a
        large window never visits the entries' own (large) rows.
        """
        sql = """SELECT entry_id, keys FROM story_sketches
                 WHERE length(keys) > 8 AND entry_id <= (SELECT placed_to FROM story_mark)"""
        args: list[object] = []
        if since is not None:
            sql += " AND fetched_at >= ?"
            args.append(since)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
            story = dict(self._conn.execute("SELECT id, story FROM entries WHERE story IS NOT NULL").fetchall())
        return [(r[0], r[1], story.get(r[0])) for r in rows]

    def save_stories(
        self,
        placed: Sequence[tuple[int, bytes, int, str]],
        stories: Mapping[int, int | None],
        sizes: Mapping[int, int] | None = None,
        placed_to: int | None = None,
    ) -> None:
        """Store newly keyed entries (entry id, retrieval keys, size, fetched_at), story ids, the sizes
        of entries keyed earlier, and how far entries are placed (`placed_to`), in one transaction."""
        with self._tx() as conn:
            if placed_to is not None:
                conn.execute("UPDATE story_mark SET placed_to = max(placed_to, ?)", (placed_to,))
            conn.executemany(
                """INSERT OR REPLACE INTO story_sketches (entry_id, keys, size, fetched_at)
                   SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM entries WHERE id = ?1)""",
                placed,
            )
            conn.executemany("UPDATE entries SET story = ? WHERE id = ?", [(v, k) for k, v in stories.items()])
            if sizes:
                conn.executemany("UPDATE story_sketches SET size = ? WHERE entry_id = ?", [(n, e) for e, n in sizes.items()])

    def clear_stories(self) -> None:
        """Forget every sketch and story (to group everything again from scratch): every entry keeps an
        emptied sketch row, to be keyed from its text."""
        with self._tx() as conn:
            self._keyed.clear()  # (emptied: keyed from their texts)
            conn.execute("UPDATE story_sketches SET keys = x'', size = 0")
            conn.execute("UPDATE story_mark SET placed_to = 0")
            conn.execute("UPDATE entries SET story = NULL WHERE story IS NOT NULL")

    def story_id(self, entry_id: int) -> int | None:
        """The story an entry belongs to (None when it stands alone): one row, whatever the archive's size."""
        with self._lock:
            row = self._conn.execute("SELECT story FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return row[0] if row else None

    def story_ids(self) -> dict[int, int]:
        """Entry id → story id, for entries that share a story with another."""
        with self._lock:
            rows = self._conn.execute("SELECT id, story FROM entries WHERE story IS NOT NULL").fetchall()
        return {r[0]: r[1] for r in rows}

    def story_entries(
        self, story_id: int | None = None, *, of_entries: Sequence[int] | None = None
    ) -> list[tuple[Entry, int, int]]:
        """(entry, story id, size of its cleaned text) of the entries in stories, oldest first: every
        story's, story `story_id`'s, or those of the stories the entries `of_entries` are in."""
        sql = self._ENTRY_LIGHT.replace(
            "FROM entries e", ", e.story AS story, COALESCE(s.size, 0) AS size FROM entries e"
        ) + " LEFT JOIN story_sketches s ON s.entry_id = e.id WHERE e.story IS NOT NULL"
        args: list[object] = []
        if story_id is not None:
            sql += " AND e.story = ?"
            args.append(story_id)
        if of_entries is not None:
            sql += (f" AND e.story IN (SELECT story FROM entries WHERE id IN ({','.join('?' * len(of_entries))})"
                    " AND story IS NOT NULL)")
            args.extend(of_entries)
        sql += " ORDER BY COALESCE(e.published, e.fetched_at), e.id"
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        # A story list holds every copy (30,000 at 100,000 entries): the strings of a feed are shared.
        shared: dict[str, str] = {}
        return [(self._entry(r, shared), r["story"], r["size"]) for r in rows]

    def set_story_read(self, story_id: int, read: bool = True) -> int:
        """Mark every copy of a story read (or unread); returns how many changed.

        Through `set_read`, so the change is queued for sync like any other mark.
        """
        with self._lock:
            ids = [r[0] for r in self._conn.execute(
                "SELECT id FROM entries WHERE story = ? AND read != ?", (story_id, int(read))
            )]
        return self.set_read(ids, read) if ids else 0

    def changed_ids(self) -> set[int]:
        """Entries whose feed or page later served a different text (their earlier versions are kept)."""
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT id FROM entries WHERE changed = 1")}

    def entry_versions(self, entry_id: int) -> list[dict[str, str | None]]:
        """Earlier versions of an entry, oldest first: title, summary, content, article (JSON), times."""
        with self._lock:
            rows = self._conn.execute(
                """SELECT id, title, summary, content, article, first_seen, replaced_at
                   FROM entry_versions WHERE entry_id = ? ORDER BY id""",
                (entry_id,),
            ).fetchall()
        return [dict(r) for r in rows]

    def reading_row(self, entry_id: int) -> tuple[str, str] | None:
        """(rules digest, Reading JSON) of the entry's cached reading, whatever rules made it."""
        with self._lock:
            row = self._conn.execute("SELECT digest, data FROM readings WHERE entry_id = ?", (entry_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def latest_article(self, entry_id: int) -> str | None:
        """The cached cleaned article (JSON) of any cleaning version, newest first."""
        row = self.reading_row(entry_id)
        return row[1] if row else None

    # -- sync with a server (tui/core/feeds/sync) ---------------------------------------------------

    def sync_value(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_sync_values(self, values: Mapping[str, str]) -> None:
        with self._tx() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", list(values.items())
            )

    def reset_sync(self, identity: str) -> None:
        """Forget every server id and cursor: the account or server changed, so they mean nothing.

        Feeds and entries stay (as local ones) and are matched again by URL and link at the next sync.
        """
        with self._tx() as conn:
            conn.execute("UPDATE feeds SET remote_id = NULL WHERE remote_id IS NOT NULL")
            conn.execute("UPDATE entries SET remote_id = NULL WHERE remote_id IS NOT NULL")
            conn.execute("DELETE FROM sync_queue")
            conn.execute("DELETE FROM sync_feed_queue")
            conn.execute("DELETE FROM sync_state")
            conn.execute("INSERT INTO sync_state (key, value) VALUES ('identity', ?)", (identity,))

    def apply_remote_feeds(self, feeds: Sequence[RemoteFeed]) -> dict[str, int]:
        """Make the synced subscriptions match the server's; returns server feed id -> local id.

        A local feed with the same URL is adopted (its entries are kept and matched by link);
        synced feeds the server no longer has are removed. Local-only feeds are left alone.
        """
        mapping: dict[str, int] = {}
        with self._tx() as conn:
            for feed in feeds:
                row = conn.execute(
                    "SELECT id FROM feeds WHERE remote_id = ?", (feed.remote_id,)
                ).fetchone() or conn.execute(
                    "SELECT id FROM feeds WHERE url = ? AND remote_id IS NULL", (feed.url,)
                ).fetchone()
                if row is None:
                    feed_id = conn.execute(
                        """INSERT INTO feeds (url, title, site_url, status, remote_id, added_at)
                           VALUES (?, ?, ?, 'ok', ?, ?)""",
                        (feed.url, feed.title, feed.site_url, feed.remote_id, _now()),
                    ).lastrowid
                    assert feed_id is not None
                else:
                    feed_id = row[0]
                    clash = conn.execute(
                        "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (feed.url, feed_id)
                    ).fetchone()
                    # A title the user gave stays theirs (as a refresh keeps it for local feeds).
                    conn.execute(
                        """UPDATE feeds SET title = CASE WHEN title_from_user THEN title ELSE ? END,
                           site_url = ?, remote_id = ?, url = CASE WHEN ? THEN url ELSE ? END WHERE id = ?""",
                        (feed.title, feed.site_url, feed.remote_id, clash is not None, feed.url, feed_id),
                    )
                conn.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
                conn.executemany(
                    "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                    [(feed_id, t) for t in feed.tags if t],
                )
                mapping[feed.remote_id] = feed_id
            gone = [
                r[0]
                for r in conn.execute("SELECT id, remote_id FROM feeds WHERE remote_id IS NOT NULL")
                if r[1] not in mapping
            ]
            for feed_id in gone:
                _delete_feed(conn, feed_id)
        return mapping

    def queued_unsubscribes(self) -> list[tuple[str, str]]:
        """(server feed id, url) of synced feeds removed here, to unsubscribe on the server."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT remote_id, url FROM sync_feed_queue WHERE action = 'unsubscribe'"
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def drop_queued_unsubscribe(self, remote_id: str) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM sync_feed_queue WHERE remote_id = ?", (remote_id,))

    def remote_entry_states(self) -> dict[str, tuple[bool, bool]]:
        """Server entry id -> (read, starred) of every synced entry."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT remote_id, read, starred FROM entries WHERE remote_id IS NOT NULL"
            ).fetchall()
        return {r[0]: (bool(r[1]), bool(r[2])) for r in rows}

    def queued_changes(self) -> list[QueuedChange]:
        """Local read/starred changes of synced entries not yet sent to the server, oldest first."""
        from tui.core.feeds.sync.records import QueuedChange

        with self._lock:
            rows = self._conn.execute(
                """SELECT q.entry_id, e.remote_id, q.field, q.value, q.base, q.changed_at, q.seq
                   FROM sync_queue q JOIN entries e ON e.id = q.entry_id
                   WHERE e.remote_id IS NOT NULL ORDER BY q.seq"""
            ).fetchall()
        return [
            QueuedChange(
                entry_id=r[0], remote_id=r[1], field=r[2], value=bool(r[3]), base=bool(r[4]),
                changed_at=_dt(r[5]) or datetime.now(UTC), seq=r[6],
            )
            for r in rows
        ]

    def drop_queued(self, changes: Iterable[QueuedChange]) -> None:
        """Forget queued changes that were sent (or lost to a later server change).

        A change made again meanwhile has a new `seq`, so it stays queued.
        """
        with self._tx() as conn:
            conn.executemany(
                "DELETE FROM sync_queue WHERE entry_id = ? AND field = ? AND seq = ?",
                [(c.entry_id, c.field, c.seq) for c in changes],
            )

    def apply_remote_entries(
        self,
        entries: Sequence[RemoteEntry],
        feed_ids: Mapping[str, int],
        keep: Iterable[tuple[str, str]] = (),
        *,
        changed_after: int | None = None,
        marked: list[int] | None = None,
    ) -> tuple[int, int]:
        """Store one page of server entries in one transaction; returns (new, updated). The ids of
        entries already here whose read or starred mark the server changed go to `marked`.

        Read and starred come from the server except for the (remote id, field) pairs in `keep`,
        where a newer local change waits in the queue, and fields changed here after
        `changed_after` (a queue `seq`: a change made while this sync ran). State set here is
        never queued back.
        """
        kept = set(keep)
        new = updated = 0
        fetched = _now()
        with self._tx() as conn:
            for item in entries:
                feed_id = feed_ids.get(item.feed_id)
                if feed_id is None:
                    continue  # a feed the server did not list (removed meanwhile)
                row = conn.execute(
                    "SELECT id, content_hash, read, starred, NULL FROM entries WHERE remote_id = ?",
                    (item.remote_id,),
                ).fetchone()
                adopted = False  # an entry fetched here before the server had its feed
                if row is None and item.link:
                    row = conn.execute(
                        """SELECT id, content_hash, read, starred, coalesce(nullif(content, ''), summary) FROM entries
                           WHERE feed_id = ? AND link = ? AND remote_id IS NULL LIMIT 1""",
                        (feed_id, item.link),
                    ).fetchone()
                    adopted = row is not None
                read = item.read
                starred = item.starred
                if row is not None:
                    fresh: set[str] = set()
                    if changed_after is not None:
                        fresh = {
                            r[0] for r in conn.execute(
                                "SELECT field FROM sync_queue WHERE entry_id = ? AND seq > ?",
                                (row[0], changed_after),
                            )
                        }
                    if (item.remote_id, "read") in kept or "read" in fresh:
                        read = bool(row[2])
                    if (item.remote_id, "starred") in kept or "starred" in fresh:
                        starred = bool(row[3])
                    if marked is not None and not adopted and (read, starred) != (bool(row[2]), bool(row[3])):
                        marked.append(row[0])
                    conn.execute(
                        "UPDATE entries SET remote_id = ?, read = ?, starred = ? WHERE id = ?",
                        (item.remote_id, int(read), int(starred), row[0]),
                    )
                    if adopted:
                        # What was read or starred here before the feed was synced stays so, and
                        # goes to the server at the next sync (what the server has read is read here).
                        for field, here, there in (("read", row[2], read), ("starred", row[3], starred)):
                            if here and not there:
                                _queue_change(conn, field, True, "id = ?", (row[0],))
                                conn.execute(f"UPDATE entries SET {field} = 1 WHERE id = ?", (row[0],))
                        if row[1] != item.content_hash and _same_words(row[4] or "", item.content):
                            # The server's copy of the same text (its own markup): the entry keeps its
                            # cleaned page, headline and story; the server's hash tells its next edit.
                            conn.execute("UPDATE entries SET content_hash = ? WHERE id = ?", (item.content_hash, row[0]))
                            continue
                    if row[1] == item.content_hash:
                        continue
                    conn.execute(
                        """UPDATE entries SET title = ?, link = ?, author = ?, published = ?,
                           content = ?, content_hash = ? WHERE id = ?""",
                        (item.title, item.link, item.author, _iso(item.published), item.content,
                         item.content_hash, row[0]),
                    )
                    conn.execute("DELETE FROM readings WHERE entry_id = ?", (row[0],))
                    conn.execute("DELETE FROM search WHERE rowid = ?", (row[0],))
                    conn.execute("UPDATE story_sketches SET keys = x'' WHERE entry_id = ?", (row[0],))  # placed again
                    entry_id = row[0]
                    updated += 1
                else:
                    # The id (guid "sync:<remote id>") may be held by an entry of a server synced
                    # before (`reset_sync` unlinked it): that one stays, as a local entry under
                    # another guid, and this one is stored beside it.
                    conn.execute(
                        "UPDATE entries SET guid = guid || '#' || id WHERE feed_id = ? AND guid = ?",
                        (feed_id, item.guid),
                    )
                    entry_id = _rowid(conn.execute(
                        """INSERT INTO entries (feed_id, guid, title, link, author, published,
                           content, content_hash, read, starred, fetched_at, remote_id)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        (feed_id, item.guid, item.title, item.link, item.author, _iso(item.published),
                         item.content, item.content_hash, int(read), int(starred), fetched, item.remote_id),
                    ))
                    # keyed by the stories pass from its text (a refresh stores a new entry's keys with it)
                    conn.execute(
                        "INSERT INTO story_sketches (entry_id, keys, size, fetched_at) VALUES (?, x'', 0, ?)",
                        (entry_id, fetched),
                    )
                    new += 1
                conn.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                    (entry_id, item.title, _plain(item.content)),
                )
        return new, updated

    def apply_remote_states(
        self, states: Iterable[tuple[str, str, bool]], *, changed_after: int | None = None
    ) -> int:
        """Set (remote id, field, value) states from the server without queueing them back.

        A field changed here after `changed_after` (a queue `seq`) keeps its local value.
        """
        changed = 0
        limit = -1 if changed_after is None else changed_after
        with self._tx() as conn:
            for remote_id, field, value in states:
                if field not in ("read", "starred"):
                    raise ValueError(f"unknown state {field!r}")
                changed += conn.execute(
                    f"""UPDATE entries SET {field} = ? WHERE remote_id = ? AND {field} != ?
                        AND (? < 0 OR NOT EXISTS (SELECT 1 FROM sync_queue q
                             WHERE q.entry_id = entries.id AND q.field = ? AND q.seq > ?))""",
                    (int(value), remote_id, int(value), limit, field, limit),
                ).rowcount
        return changed

def _keep_version(conn: sqlite3.Connection, entry_id: int) -> None:
    """Before an entry's text is replaced: keep the text it had, mark it changed, let it be read and grouped again."""
    conn.execute(
        """INSERT INTO entry_versions (entry_id, title, summary, content, article, first_seen, replaced_at)
           SELECT e.id, e.title, e.summary, e.content, (SELECT data FROM readings a WHERE a.entry_id = e.id),
                  e.fetched_at, ? FROM entries e WHERE e.id = ?""",
        (_now(), entry_id),
    )
    conn.execute("UPDATE entries SET changed = 1 WHERE id = ?", (entry_id,))
    conn.execute("UPDATE story_sketches SET keys = x'' WHERE entry_id = ?", (entry_id,))  # placed again
    conn.execute("DELETE FROM prefetch WHERE entry_id = ?", (entry_id,))


def _updated_in_place(
    conn: sqlite3.Connection, entry_id: int, before: str | None, after: str | None, *, refetch: bool = True
) -> None:
    """The feed says an entry was updated but gives the same text: its page may have changed.

    The page is fetched again by the next prefetch (its `prefetch` row goes "stale"); only a later
    date than the one stored counts (a feed that starts giving dates re-fetches nothing).
    """
    conn.execute("UPDATE entries SET updated = ? WHERE id = ?", (after, entry_id))
    if refetch and before is not None and after is not None and after > before:
        conn.execute("UPDATE prefetch SET status = 'stale' WHERE entry_id = ? AND status = 'ok'", (entry_id,))


def _queue_change(
    conn: sqlite3.Connection, field: str, value: bool, where: str, args: Sequence[object]
) -> None:
    """Queue a read/starred change of synced entries for the next sync (local-only ones need none).

    Called before the UPDATE: `base` keeps the value the server last gave, which tells at the next
    sync whether the server changed that field too.
    """
    conn.execute(
        f"""INSERT INTO sync_queue (entry_id, field, value, base, changed_at, seq)
            SELECT id, ?, ?, {field}, ?, ? FROM entries WHERE {where} AND remote_id IS NOT NULL
            ON CONFLICT (entry_id, field) DO UPDATE SET
                value = excluded.value, changed_at = excluded.changed_at, seq = excluded.seq""",
        (field, int(value), datetime.now(UTC).isoformat(timespec="microseconds"), time.time_ns(), *args),
    )


def _put_enclosures(conn: sqlite3.Connection, entry_id: int, item: ParsedEntry) -> None:
    conn.executemany(
        """INSERT OR IGNORE INTO enclosures (entry_id, position, url, type, length, duration)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [(entry_id, i, e.url, e.type, e.length, e.duration) for i, e in enumerate(item.enclosures)],
    )


def _known_spelling(conn: sqlite3.Connection, tags: Iterable[str]) -> list[str]:
    """Tags compare case-insensitively: "news" joins the folder already spelled "News"."""
    known = {t.casefold(): t for (t,) in conn.execute("SELECT DISTINCT tag FROM feed_tags ORDER BY rowid DESC")}
    out: list[str] = []
    for tag in tags:
        tag = known.setdefault(tag.casefold(), tag) if tag else tag
        if tag and tag not in out:
            out.append(tag)
    return out


def _max_entry_id(conn: sqlite3.Connection) -> int:
    """The newest entry's id (0 with none)."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0])


def _next_entry_id(conn: sqlite3.Connection) -> int:
    """The id the next INSERT into entries would get: one more than the largest (an INTEGER PRIMARY
    KEY without AUTOINCREMENT; entries of a write transaction, which holds the database's write lock,
    so no other connection inserts meanwhile). Ids taken from here go in explicitly, in order."""
    return _max_entry_id(conn) + 1


def _rowid(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (always set after a successful INSERT)."""
    assert cursor.lastrowid is not None
    return cursor.lastrowid


# At most this many entries' story keys are kept for the next stories pass (see Store._keyed).
_KEYED_MAX = 100_000


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
        store = self._store
        try:
            if exc_type is None:
                if store._tx_keyed:
                    # Another connection's commit since the keys held were stored (it may have reused
                    # the id of an entry it removed): those are read back by the pass instead.
                    version = store._conn.execute("PRAGMA data_version").fetchone()[0]
                    if version != store._keyed_version or len(store._keyed) > _KEYED_MAX:
                        store._keyed.clear()
                    store._keyed_version = version
                store._conn.execute("COMMIT")
                if store._tx_keyed:  # committed: the stories pass may take these keys from memory
                    store._keyed.update(store._tx_keyed)
            else:
                store._conn.execute("ROLLBACK")
        finally:
            store._tx_keyed.clear()
            store._lock.release()
