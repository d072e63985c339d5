"""Differential check of tui.core.feeds.http's plain-URL fast path against httpx.URL.

    python benchmarks/url_fastpath_diff.py [--n 200000] [--seed 1]

For random URLs built from pieces that exercise case, ports, dot segments, percent escapes,
reserved and unsafe characters, the fast path's canonical form and request parts must equal what
httpx.URL gives, whenever the fast path takes the URL (it declines, and httpx answers, otherwise).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from tui.core.feeds import http

HOSTS = ["example.com", "Example.COM", "a-b.example", "127.0.0.1", "xn--bcher-kva.example", "e.com.", "-bad.com",
         "localhost", "news.bbc.co.uk", "a..b", "x_y.com", "1.2.3.4", "café.example"]
PORTS = ["", ":80", ":443", ":8080", ":08080", ":0", ":65535", ":65536", ":99999", ":"]
PIECES = ["a", "B", "feed", ".", "..", "...", "%20", "%2f", "%7E", "%zz", "%2", "~", "-", "_", "!", "$", "&", "'",
          "(", ")", "*", "+", ",", ";", "=", ":", "@", " ", "\"", "<", ">", "[", "]", "{", "}", "|", "\\", "^", "`",
          "é", "\u202e", "\x7f", "\t", "#", "?", "index.xml", "rss"]


SAFE = ["a", "B", "feed", ".", "..", "...", "%20", "%7E", "%2", "~", "-", "_", "!", "$", "&", "'", "(", ")", "*", "+",
        ",", ";", "=", ":", "@", "index.xml", "rss"]


def random_url(rng: random.Random) -> str:
    """Half the URLs from pieces the fast path may take, half from every piece."""
    scheme = rng.choice(["http", "https", "HTTP", "ftp"])
    pieces = SAFE if rng.random() < 0.5 else PIECES
    path = "".join(rng.choice(["/", *pieces]) for _ in range(rng.randint(0, 8)))
    if path and rng.random() < 0.8:
        path = "/" + path
    query = "" if rng.random() < 0.6 else "?" + "".join(rng.choice(["=", "&", "/", "?", *pieces]) for _ in range(rng.randint(0, 6)))
    return f"{scheme}://{rng.choice(HOSTS)}{rng.choice(PORTS)}{path}{query}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    taken = declined = wrong = 0
    for _ in range(args.n):
        url = random_url(rng)
        if not http._plain(url):
            declined += 1
            continue
        taken += 1
        ref = httpx.URL(url)
        (scheme, host, port), host_header, target = http.split_url(url)
        want_port = ref.port or (443 if ref.scheme == "https" else 80)
        got = (http.canonical_url(url), scheme, host, port, target)
        expected = (str(ref), ref.scheme, ref.raw_host.decode(), want_port, ref.raw_path.decode())
        if got != expected or host_header != (ref.netloc.decode()):
            wrong += 1
            if wrong <= 10:
                print("DIFFERENT", repr(url), got, expected, host_header, ref.netloc)
    print(f"{args.n} URLs: fast path took {taken}, declined {declined}; different from httpx: {wrong}")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
