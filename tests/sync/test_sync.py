"""Two-way sync against a real Miniflux (its REST API and its Google Reader API), through the real CLI."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.httpserver import FeedServer
from tests.sync.servers import Miniflux, User
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def sync(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(capsys, "sync", "--json")
    assert code == 0, err
    return dict(json.loads(out))


def local_entries(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    """Entries as `newswire list --json` shows them, by link."""
    code, out, err = run(capsys, "list", "--json")
    assert code == 0, err
    return {e["link"]: e for e in json.loads(out)}


def server_entries(user: User) -> dict[str, dict[str, Any]]:
    """Entries as the server's own REST API shows them, by link."""
    return {e["url"]: e for e in user.entries()}


def items(prefix: str, count: int) -> list[tuple[str, str, str]]:
    return [(f"{prefix}{n}", f"{prefix} story {n}", f"<p>Body of {prefix} story {n} with zanzibar{n}.</p>")
            for n in range(count)]


def test_first_sync_brings_feeds_categories_entries_and_state(
    protocol: str, account: User, feed: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    account.subscribe(feed("alpha", items("a", 3)), category="Tech")
    account.subscribe(feed("beta", items("b", 2)))
    remote = server_entries(account)
    first, second = sorted(remote.values(), key=lambda e: e["id"])[:2]
    account.set_status([first["id"]], "read")
    account.set_starred([second["id"]], True)

    report = sync(capsys)
    assert report["feeds"] == 2 and report["new"] == 5

    _, out, _ = run(capsys, "feeds", "--json")
    feeds = {f["title"]: f for f in json.loads(out)}
    assert set(feeds) == {"alpha", "beta"}
    assert feeds["alpha"]["tags"] == ["Tech"]
    local = local_entries(capsys)
    assert set(local) == set(remote)
    assert local[first["url"]]["read"] and not local[first["url"]]["starred"]
    assert local[second["url"]]["starred"] and not local[second["url"]]["read"]
    assert sum(e["read"] for e in local.values()) == 1
    # The content came along: search finds a word that is only in an entry's body.
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    with Store(resolve_paths().database) as store:
        found = store.search("zanzibar1")
        assert {e.title for e in found} == {"a story 1", "b story 1"}
        assert "zanzibar1" in (store.entry(found[0].id) or found[0]).content


def test_later_sync_fetches_only_what_changed(
    protocol: str, account: User, feed: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = feed("gamma", items("g", 4))
    feed_id = account.subscribe(url)
    time.sleep(2.1)  # the REST API's "changed after" takes whole seconds: a sync re-reads the last one or two
    assert sync(capsys)["new"] == 4
    quiet = sync(capsys)
    assert quiet["new"] == 0 and quiet["received"] == 0 and quiet["states"] == 0

    feed("gamma", [*items("g", 4), ("g-new", "g fresh story", "<p>fresh</p>")])
    account.refresh(feed_id)
    remote = server_entries(account)
    some = next(e for e in remote.values() if e["title"] == "g story 2")
    account.set_status([some["id"]], "read")

    report = sync(capsys)
    assert report["new"] == 1
    # Only the new entry's content comes down (Miniflux also resends the one whose state changed).
    assert report["received"] <= (2 if protocol == "miniflux" else 1)
    assert report["states"] == 1  # the mark made on the server is counted, whichever way it came
    local = local_entries(capsys)
    assert len(local) == 5 and "g fresh story" in {e["title"] for e in local.values()}
    assert local[some["url"]]["read"]


def test_local_read_and_star_reach_the_server(
    protocol: str, account: User, feed: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    account.subscribe(feed("delta", items("d", 3)))
    sync(capsys)
    local = local_entries(capsys)
    ids = {e["title"]: e["id"] for e in local.values()}
    assert run(capsys, "mark-read", str(ids["d story 0"]), str(ids["d story 1"]))[0] == 0
    assert run(capsys, "star", str(ids["d story 2"]))[0] == 0

    assert sync(capsys)["sent"] == 3
    remote = {e["title"]: e for e in server_entries(account).values()}
    assert remote["d story 0"]["status"] == "read" and remote["d story 1"]["status"] == "read"
    assert remote["d story 2"]["starred"] and remote["d story 2"]["status"] == "unread"

    # And back: unread and unstar travel too; a sync with nothing queued sends nothing.
    run(capsys, "mark-unread", str(ids["d story 0"]))
    run(capsys, "unstar", str(ids["d story 2"]))
    assert sync(capsys)["sent"] == 2
    remote = {e["title"]: e for e in server_entries(account).values()}
    assert remote["d story 0"]["status"] == "unread" and not remote["d story 2"]["starred"]
    assert sync(capsys)["sent"] == 0


def test_offline_changes_are_queued_and_sent_when_the_server_is_back(
    protocol: str, miniflux: Miniflux, account: User, feed: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    account.subscribe(feed("epsilon", items("e", 3)))
    sync(capsys)
    ids = {e["title"]: e["id"] for e in local_entries(capsys).values()}
    miniflux.stop()
    try:
        run(capsys, "mark-read", str(ids["e story 0"]))
        run(capsys, "star", str(ids["e story 1"]))
        code, out, err = run(capsys, "sync")
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "cannot reach" in err and "Traceback" not in err
        # Nothing was lost locally either.
        local = {e["title"]: e for e in local_entries(capsys).values()}
        assert local["e story 0"]["read"] and local["e story 1"]["starred"]
    finally:
        miniflux.start()
    assert sync(capsys)["sent"] == 2
    remote = {e["title"]: e for e in server_entries(account).values()}
    assert remote["e story 0"]["status"] == "read" and remote["e story 1"]["starred"]


def test_a_change_on_each_side_of_one_entry_keeps_both(
    protocol: str, account: User, feed: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    account.subscribe(feed("zeta", items("z", 2)))
    sync(capsys)
    ids = {e["title"]: e["id"] for e in local_entries(capsys).values()}
    remote = {e["title"]: e for e in server_entries(account).values()}
    run(capsys, "star", str(ids["z story 0"]))  # starred here…
    time.sleep(1.1)
    account.set_status([remote["z story 0"]["id"]], "read")  # …read there, later

    sync(capsys)
    local = {e["title"]: e for e in local_entries(capsys).values()}
    after = account.entry(remote["z story 0"]["id"])
    assert local["z story 0"]["read"] and local["z story 0"]["starred"]
    assert after["status"] == "read" and after["starred"]


@pytest.mark.parametrize("later", ["local", "server"])
def test_a_conflict_on_one_field_goes_to_the_later_change(
    later: str, miniflux: Miniflux, account: User, feed: Callable[..., str],
    capsys: pytest.CaptureFixture[str], newswire_home: Path,
) -> None:
    from tests.sync.conftest import write_config

    write_config(newswire_home, "miniflux", miniflux.url, account.name, account.password)
    account.subscribe(feed("eta", items("h", 1)))
    sync(capsys)
    (entry,) = local_entries(capsys).values()
    (remote,) = server_entries(account).values()

    def local_change() -> None:  # read, then unread again: the last word here is "unread"
        run(capsys, "mark-read", str(entry["id"]))
        run(capsys, "mark-unread", str(entry["id"]))

    def server_change() -> None:  # the last word there is "read"
        account.set_status([remote["id"]], "read")

    first, second = (server_change, local_change) if later == "local" else (local_change, server_change)
    first()
    time.sleep(1.1)
    second()
    report = sync(capsys)
    want_read = later == "server"
    assert local_entries(capsys)[entry["link"]]["read"] is want_read
    assert (account.entry(remote["id"])["status"] == "read") is want_read
    assert report["kept_local" if later == "local" else "kept_remote"] == 1


def test_local_feeds_live_beside_synced_ones(
    protocol: str, account: User, feed: Callable[..., str], feeds: FeedServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    synced_url = feed("theta", items("t", 2))
    account.subscribe(synced_url)
    local_url = feed("iota", items("i", 2))
    assert run(capsys, "add", local_url)[0] == 0
    assert run(capsys, "refresh")[0] == 0
    sync(capsys)
    # The local feed stays local: not sent to the server, kept here with its entries.
    assert [f["feed_url"] for f in account.get("/v1/feeds")] == [synced_url]
    _, out, _ = run(capsys, "feeds", "--json")
    assert {f["url"] for f in json.loads(out)} == {synced_url, local_url}
    # A refresh fetches the local feed only: the server fetches the synced one.
    path = synced_url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    before = [r for r in feeds.requests_to("/" + path) if "newswire" in r.headers.get("user-agent", "").lower()]
    assert run(capsys, "refresh", "--force")[0] == 0
    after = [r for r in feeds.requests_to("/" + path) if "newswire" in r.headers.get("user-agent", "").lower()]
    assert len(after) == len(before)
    assert len(local_entries(capsys)) == 4

    # Removing the synced feed here unsubscribes it there at the next sync, and says so.
    code, out, _ = run(capsys, "remove", synced_url, local_url + "x")
    assert code == 1 and out == f"removed: {synced_url} (the server unsubscribes it at the next sync)\n"
    sync(capsys)
    assert account.get("/v1/feeds") == []
    _, out, _ = run(capsys, "feeds", "--json")
    assert [f["url"] for f in json.loads(out)] == [local_url]


def test_a_feed_read_here_before_the_server_had_it_keeps_its_marks_and_text_at_the_first_sync(
    protocol: str, account: User, feed: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    url = feed("kappa", items("k", 4))
    assert run(capsys, "add", url)[0] == 0
    assert run(capsys, "refresh")[0] == 0
    ids = {e["title"]: e["id"] for e in local_entries(capsys).values()}
    assert run(capsys, "mark-read", str(ids["k story 0"]), str(ids["k story 1"]))[0] == 0
    assert run(capsys, "star", str(ids["k story 2"]))[0] == 0
    with Store(resolve_paths().database) as store:
        texts = {i: (store.entry(i).content, store.entry(i).title) for i in ids.values()}  # type: ignore[union-attr]
    account.subscribe(url)  # the same feed on the server, where nothing is read

    sync(capsys)
    local = {e["title"]: e for e in local_entries(capsys).values()}
    assert {t: e["id"] for t, e in local.items()} == ids  # the same entries, not copies
    assert local["k story 0"]["read"] and local["k story 1"]["read"] and local["k story 2"]["starred"]
    assert not local["k story 3"]["read"] and not local["k story 0"]["starred"]
    with Store(resolve_paths().database) as store:
        assert {i: (store.entry(i).content, store.entry(i).title) for i in ids.values()} == texts  # type: ignore[union-attr]

    # The server learns what was read here, and nothing else changes there.
    sync(capsys)
    remote = {e["title"]: e for e in server_entries(account).values()}
    assert remote["k story 0"]["status"] == "read" and remote["k story 1"]["status"] == "read"
    assert remote["k story 2"]["starred"] and remote["k story 2"]["status"] == "unread"
    assert remote["k story 3"]["status"] == "unread" and not remote["k story 3"]["starred"]


def test_first_sync_pages_with_progress(
    protocol: str, account: User, feed: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    account.subscribe(feed("kappa", items("k", 320)))
    account.subscribe(feed("lambda", items("l", 300)))
    code, out, err = run(capsys, "sync")
    assert code == 0, err
    assert "620 new" in out
    lines = [line for line in err.splitlines() if line.startswith("entries:")]
    assert len(lines) >= 2 and lines[-1].endswith("620/620")  # pages, not one answer
    assert len(local_entries(capsys)) == 620


def test_wrong_password_is_one_line_and_not_printed(
    protocol: str, miniflux: Miniflux, account: User, newswire_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.sync.conftest import write_config

    user = account.name if protocol == "miniflux" else account.greader_user
    write_config(newswire_home, protocol, miniflux.url, user, "not-the-password-42")
    code, out, err = run(capsys, "sync")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "refused the user name or password" in err
    assert "not-the-password-42" not in err


def test_password_file_readable_by_others_is_refused(
    newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = newswire_home / "secret"
    secret.write_text("hunter2\n")
    secret.chmod(0o644)
    (newswire_home / "config.toml").write_text(
        f'[sync]\nserver = "miniflux"\nurl = "http://127.0.0.1:9"\nuser = "u"\npassword_file = "{secret}"\n'
    )
    code, _, err = run(capsys, "sync")
    assert code == 1 and "readable by others" in err and "chmod 600" in err and "hunter2" not in err


def test_password_command_is_used_and_its_failure_said(
    newswire_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.core.config import SyncConfig
    from tui.core.feeds.sync import SyncError, read_password

    command = "printf 's3cret\\n'"
    assert read_password(SyncConfig(server="greader", url="http://x", password_command=command)) == "s3cret"
    with pytest.raises(SyncError, match="exited with status 3"):
        read_password(SyncConfig(server="greader", url="http://x", password_command="exit 3"))
    (newswire_home / "config.toml").write_text('[sync]\nserver = "miniflux"\nurl = "http://127.0.0.1:9"\n')
    code, _, err = run(capsys, "sync")
    assert code == 1 and "password_command or password_file" in err


def test_sync_when_off_says_how_to_turn_it_on(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "sync")
    assert code == 1 and err.count("\n") == 1 and "[sync] server" in err


def test_add_subscribes_on_the_server_and_feed_read_travels(
    protocol: str, account: User, feed: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = feed("mu", items("m", 3))
    code, _, err = run(capsys, "sync", "--add", url)
    assert code == 0, err
    assert [f["feed_url"] for f in account.get("/v1/feeds")] == [url]
    assert len(local_entries(capsys)) == 3
    # Marking the whole feed read (the app's `A`) is queued like single marks.
    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    with Store(resolve_paths().database) as store:
        (synced,) = store.feeds()
        assert synced.synced and store.mark_feed_read(synced.id) == 3
    assert sync(capsys)["sent"] == 3
    assert {e["status"] for e in server_entries(account).values()} == {"read"}


def test_synced_entries_are_cleaned_and_saved_like_any_other(
    protocol: str, account: User, feed: Callable[..., str], newswire_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    story = (
        "<p>VALLETTA — The harbour ferry will run every twenty minutes from Monday, the operator said.</p>"
        "<p>“We finally have the crews we need,” said Maria Borg, who runs the service.</p>"
        "<p>Share this article</p>"
    )
    account.subscribe(feed("nu", [("n0", "Ferry runs more often", story)]))
    with (newswire_home / "config.toml").open("a") as config:
        config.write("[reader]\nfull_text = false\n")  # the feed's own text: no page to fetch offline
    sync(capsys)
    (entry,) = local_entries(capsys).values()
    out_dir = newswire_home / "out"
    code, _, err = run(capsys, "save", str(entry["id"]), "--format", "json", "--to", str(out_dir))
    assert code == 0, err
    (saved,) = out_dir.glob("*.json")
    data = json.loads(saved.read_text())
    assert "twenty minutes" in data["text"] and "Share this article" not in data["text"]  # cleaned
    assert [(q["speaker"], q["text"]) for q in data["quotes"]] == [
        ("Maria Borg", "We finally have the crews we need,")
    ]
    assert [(p["name"], p["country"]) for p in data["places"]] == [("Valletta", "MT")]


def test_kill_rules_hide_synced_entries_and_a_users_title_survives_the_sync(
    protocol: str, account: User, feed: Callable[..., str], newswire_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = feed("kappa", items("k", 3))
    account.subscribe(url)
    config = newswire_home / "config.toml"
    config.write_text(config.read_text() + "[[ignore]]\nfeed = \"*\"\nfilter = 'title =~ \"k story 1\"'\n")
    sync(capsys)
    # The server keeps every entry; here the rule hides one (stored flagged, as for local feeds).
    assert sorted(e["title"] for e in local_entries(capsys).values()) == ["k story 0", "k story 2"]
    assert len(server_entries(account)) == 3

    from tui.core.paths import resolve_paths
    from tui.core.store import Store

    with Store(resolve_paths().database) as store:
        (synced,) = store.feeds()
        store.set_feed_title(synced.id, "Kappa, my way")
    sync(capsys)
    _, out, _ = run(capsys, "feeds", "--json")
    assert [f["title"] for f in json.loads(out)] == ["Kappa, my way"]


def test_sync_fetches_the_full_text_of_synced_teasers_and_groups_their_copies(
    protocol: str, account: User, feeds: FeedServer, request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Entries a server sends are treated as a refresh treats new ones: teasers get their page, copies a story."""
    from tests.core.test_prefetch import page
    from tests.httpserver import Route

    prefix = "/" + request.node.name.replace("[", "-").replace("]", "")

    def outlet(name: str) -> str:
        link = feeds.route(f"{prefix}/{name}/ferry", Route(body=page("ferry-original"), content_type="text/html; charset=utf-8"))
        body = (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title><link>{feeds.base}/</link>"
            f"<item><guid isPermaLink='false'>{name}-1</guid><title>Ferry news from {name}</title><link>{link}</link>"
            "<pubDate>Mon, 30 Nov 2026 12:00:00 +0000</pubDate>"
            "<description>The island ferry… Read more</description></item></channel></rss>"
        ).encode()
        return feeds.route(f"{prefix}/{name}.xml", Route(body=body))

    account.subscribe(outlet("harbour-times"))
    account.subscribe(outlet("island-post"))
    code, out, err = run(capsys, "sync")
    assert code == 0, err
    assert "2 new" in out and "full text: 2 pages stored, 0 failed" in out

    code, out, _ = run(capsys, "stories", "--json")
    assert code == 0
    [found] = json.loads(out)
    # (told apart by the pages' text: the teasers alone are too short to be anyone's copy)
    assert sorted(found["outlets"]) == ["harbour-times", "island-post"] and len(found["entries"]) == 2
    # --json carries what the pass did; --no-prefetch fetches nothing.
    code, out, err = run(capsys, "sync", "--json", "--no-prefetch")
    assert code == 0, err
    assert json.loads(out)["full_text"] == {"fetched": 0, "failed": 0, "skipped": 0, "stopped": None}


def test_add_of_a_feed_the_server_cannot_fetch_says_it_could_not_subscribe(
    protocol: str, account: User, feeds: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = feeds.url("/nowhere-to-be-found.xml")
    code, _, err = run(capsys, "sync", "--add", missing)
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"newswire: could not subscribe to {missing} on the server: ")
    assert account.get("/v1/feeds") == []
