"""Every hostile feed the hardening tests serve, with what refreshing it must store; and healthy feeds."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from tests.faultserver import Fault, FaultServer, compress, item, rss, zeros_gzip

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
MiB = 1024 * 1024

# The fetch limits of a hardening run: small, so that every slow answer ends quickly.
MAX_BYTES = 8 * MiB
DEADLINE = 1.5
READ_TIMEOUT = 1.0
INTERVAL = 60  # seconds between refreshes unless the server asks for longer

MARKER = "XXE-MARKER-5c1f0e9a"  # the content of the local file an external entity names
TEXT = "Stevedores at the eastern quay loaded grain through the night while the tide turned."


@dataclass(frozen=True)
class Case:
    """One feed: where it is served, and what a refresh must leave in the store."""

    name: str
    status: str  # the stored feed status: ok | error | gone
    error: str | None = None  # the exact stored last_error sentence
    entries: int | None = None  # how many entries must be stored (None: not checked)
    wait: float | None = None  # seconds from last_checked to next_due

    @property
    def path(self) -> str:
        return f"/{self.name}"


def fixture(name: str) -> bytes:
    return (HOSTILE / name).read_bytes()


def healthy_feeds(server: FaultServer, count: int = 4, per_feed: int = 3) -> dict[str, list[str]]:
    """Serve `count` well-made feeds; returns {url: [entry titles]}."""
    feeds = {}
    for n in range(count):
        titles = [f"Healthy {n} story {i}" for i in range(per_feed)]
        items = [item(f"healthy-{n}-{i}", t, link=f"http://healthy.example/{n}/{i}", description=TEXT)
                 for i, t in enumerate(titles)]
        body = rss(items, title=f"Healthy {n}")
        fault = Fault(compress(body), headers={"Content-Encoding": "gzip"}) if n % 2 else Fault(body)
        feeds[server.serve(f"/healthy-{n}", fault)] = titles
    return feeds


def _entries(n: int) -> bytes:
    return rss((item(f"big-{i}", f"Entry {i}", link=f"http://big.example/{i}", description=f"Item {i}.")
                for i in range(n)), title="Twenty Thousand")


def hostile_feeds(server: FaultServer, marker_file: Path) -> list[Case]:
    """Serve every hostile feed on `server`; returns the cases in serving order."""
    marker_file.write_text(MARKER)
    cases: list[Case] = []

    def add(case: Case, fault: Fault) -> None:
        server.serve(case.path, fault)
        cases.append(case)

    # Not XML, not a feed, nothing at all.
    add(Case("malformed", "error", "not a feed: malformed XML (line 3)"), Fault(fixture("malformed.xml")))
    add(Case("truncated", "ok", entries=2), Fault(fixture("truncated.xml")))
    add(Case("html-page", "error", "not a feed: got an HTML page"),
        Fault(fixture("page.html"), content_type="text/html; charset=utf-8"))
    add(Case("empty", "error", "empty response"), Fault(b""))
    add(Case("blank", "error", "empty response"), Fault(b" \r\n\t \n"))
    add(Case("binary", "error", "not a feed: malformed XML (line 2)"),
        Fault(b"\x89PNG\r\x00\x1a" + random.Random(7).randbytes(3000), content_type="image/png"))
    add(Case("deep-json", "error", "not a feed: JSON nested too deeply"),
        Fault(b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
              content_type="application/feed+json"))
    # Entities: expansion and the outside world.
    add(Case("billion-laughs", "ok", entries=1), Fault(fixture("billion-laughs.xml")))
    blowup = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY w "' + "wide " * 4000 + '">\n]>\n'
              + rss([item("wide-1", "Wide", description="&w;" * 2000)]).decode().split("?>", 1)[1])
    add(Case("quadratic-blowup", "ok", entries=1), Fault(blowup.encode()))
    xxe = fixture("xxe.xml").replace(b"{MARKER_FILE}", str(marker_file).encode())
    add(Case("xxe", "ok", entries=1), Fault(xxe.replace(b"{HIT_URL}", server.url("/xxe-hit").encode())))
    # Size: plain, compressed once, compressed twice, and streams that never end.
    too_big = f"response larger than {MAX_BYTES // MiB} MB"
    add(Case("huge", "error", too_big), Fault(b"<rss>" + b" " * (MAX_BYTES + MiB)))
    add(Case("gzip-bomb", "error", too_big),
        Fault(zeros_gzip(64 * MiB), headers={"Content-Encoding": "gzip"}))
    add(Case("double-gzip-bomb", "error", too_big),
        Fault(fixture("bomb-1GB.gz.gz"), headers={"Content-Encoding": "gzip, gzip"}))
    add(Case("endless-fast", "error", too_big), Fault(b"<rss>", endless=b"<item>" * 8192))
    add(Case("bad-gzip", "error", "could not decode the response (bad compressed data)"),
        Fault(b"\x1f\x8b\x08\x00garbage" * 50, headers={"Content-Encoding": "gzip"}))
    add(Case("brotli", "error", "unsupported content encoding (br)"),
        Fault(b"\x0b\x02\x80hello", headers={"Content-Encoding": "br"}))
    # Time: every slow answer ends at the deadline.
    timed_out = f"timed out after {DEADLINE:g} s"
    add(Case("slow-drip", "error", timed_out), Fault(rss([item("d", "Drip")]) * 4, drip=0.3, piece=40))
    add(Case("slow-headers", "error", timed_out), Fault(rss([item("h", "Headers")]), header_drip=0.2))
    add(Case("endless-slow", "error", timed_out), Fault(b"<rss>", endless=b"<item>", endless_every=0.05))
    add(Case("reset", "error", "connection reset by the server"),
        Fault(_entries(200), reset_after=3000))
    # Redirects.
    server.serve("/loop-b", Fault(status=302, headers={"Location": "/redirect-loop"}))
    add(Case("redirect-loop", "error", f"redirect loop ({server.url('/loop-b')} → {server.url('/redirect-loop')})"),
        Fault(status=301, headers={"Location": "/loop-b"}))
    add(Case("redirect-file", "error", f"redirect to a non-http URL (file:{marker_file})"),
        Fault(status=302, headers={"Location": f"file://{marker_file}"}))
    add(Case("redirect-ftp", "error", "redirect to a non-http URL (ftp://files.example/feed.xml)"),
        Fault(status=302, headers={"Location": "ftp://files.example/feed.xml"}))
    add(Case("redirect-javascript", "error", "redirect to a non-http URL (javascript:alert(1))"),
        Fault(status=302, headers={"Location": "javascript:alert(1)"}))
    # The Location header arrives as raw bytes: a bidi override and a C1 CSI.
    add(Case("redirect-controls", "error",
             "redirect to a non-http URL (ftp://files.example/%E2%80%AEexe.txt%C2%9B31m)"),
        Fault(status=302, headers={"Location": "ftp://files.example/\u202eexe.txt\x9b31m".encode().decode("latin-1")}))
    # Status codes, with and without Retry-After (next_due honours it, up to a day).
    for code, reason in ((401, "Unauthorized"), (403, "Forbidden"), (404, "Not Found"), (500, "Internal Server Error")):
        add(Case(f"status-{code}", "error", f"HTTP {code} {reason}", wait=INTERVAL), Fault(status=code))
    add(Case("status-410", "gone", "HTTP 410 Gone"), Fault(status=410))
    add(Case("status-429", "error", "HTTP 429 Too Many Requests", wait=INTERVAL), Fault(status=429))
    add(Case("status-429-retry", "error", "HTTP 429 Too Many Requests", wait=600),
        Fault(status=429, headers={"Retry-After": "600"}))
    add(Case("status-503", "error", "HTTP 503 Service Unavailable", wait=INTERVAL), Fault(status=503))
    add(Case("status-503-retry-date", "error", "HTTP 503 Service Unavailable", wait=7200),
        Fault(status=503, headers={"Retry-After": formatdate(time.time() + 7200, usegmt=True)}))
    add(Case("status-503-retry-forever", "error", "HTTP 503 Service Unavailable", wait=86400),
        Fault(status=503, headers={"Retry-After": str(10 * 86400)}))
    add(Case("status-500-evil-reason", "error", "HTTP 500 [bold]oops[/]"),
        Fault(status=500, reason="\x1b[31m[bold]oops[/]\x1b[0m"))
    # Charsets, BOMs, NUL bytes.
    add(Case("utf16", "ok", entries=1), Fault(rss([item("u16", "Zürich café")], title="Sixteen", encoding="utf-16")))
    add(Case("utf8-bom", "ok", entries=1), Fault(b"\xef\xbb\xbf" + rss([item("bom", "Byte order")], title="Marked")))
    add(Case("lying-charset", "ok", entries=1),
        Fault(rss([item("lie", "Crème brûlée")], title="Liar").decode().encode("latin-1")))
    add(Case("wrong-header-charset", "ok", entries=1),
        Fault(rss([item("w", "Łódź and Kraków")], title="Header Liar"), content_type="text/xml; charset=iso-8859-7"))
    add(Case("nul-bytes", "ok", entries=1),
        Fault(rss([item("nul", "Null\x00 in\x00 title", description="a\x00b")], title="Nul\x00ls")))
    # Terminal attacks: escapes, OSC, bidi, zero-width, markup.
    add(Case("escapes", "ok", entries=2), Fault(_escapes()))
    add(Case("markup-titles", "ok", entries=3), Fault(fixture("markup-titles.xml")))
    # Size of items and of the feed.
    add(Case("long-title", "ok", entries=1), Fault(rss([item("long", "Long " * 4000, description=TEXT)])))
    add(Case("twenty-thousand", "ok", entries=20_000), Fault(_entries(20_000)))
    # Identity, dates and links.
    add(Case("guids", "ok", entries=6), Fault(fixture("guids.xml")))
    add(Case("links-and-dates", "ok", entries=6), Fault(fixture("links-and-dates.xml")))
    # Content: deep nesting, active content.
    deep = "<div>" * 10_000 + f"<p>{TEXT}</p>" + "</div>" * 10_000
    add(Case("deep-html", "ok", entries=1), Fault(rss([item("deep", "Deep", description=f"<![CDATA[{deep}]]>")])))
    add(Case("active-content", "ok", entries=1), Fault(fixture("active-content.xml")))
    return cases


def _escapes() -> bytes:
    """Titles and content with CSI, OSC (title set, hyperlink), C1 controls, bidi and zero-width."""
    one = item("esc-1", "\x1b[31mRed\x1b[0m \x1b]0;pwned\x07Title\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\",
               description="<p>\x1b[2J\x9b31m cleared \u202egnp.exe\u202c</p>")
    two = item("esc-2", "in\u200bvis\u2060ible \u2066isolate\u2069 \ufeffbom", link="http://esc.example/\x1b[1m",
               description='&lt;p onclick="x"&gt;&amp;#x1b;[31m &amp;#x202e;entities&amp;#x9b;&lt;/p&gt;')
    return rss([one, two], title="\x1b[5mBlink\x1b[0m News")
