"""A real Miniflux with a throwaway PostgreSQL cluster on 127.0.0.1, for the sync tests and benchmark."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REQUIRE_VARIABLE = "NEWSWIRE_REQUIRE_SYNC_SERVER"
ADMIN, ADMIN_PASSWORD = "admin", "admin-password-1"


class Unavailable(Exception):
    """Go's Miniflux build or PostgreSQL is missing on this machine (the reason says which)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_miniflux() -> str:
    candidates = [
        os.environ.get("NEWSWIRE_MINIFLUX", ""),
        str(Path.home() / ".cache/newswire-ci/bin/miniflux.app"),
        shutil.which("miniflux") or "",
        shutil.which("miniflux.app") or "",
        str(Path.home() / "go/bin/miniflux.app"),
    ]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    raise Unavailable(
        "no Miniflux binary (build it: go install miniflux.app/v2@v2.3.5, or set NEWSWIRE_MINIFLUX)"
    )


def find_postgres() -> Path:
    for tool in ("initdb", "pg_ctl"):
        found = shutil.which(tool)
        if found:
            return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if versions:
        return Path(versions[-1]).parent
    raise Unavailable("no PostgreSQL (initdb, pg_ctl): apt-get install postgresql")


class Postgres:
    """A throwaway cluster in a temporary directory; as root it runs as the `postgres` user."""

    def __init__(self) -> None:
        self.bin = find_postgres()
        self.port = free_port()
        self.user: str | None = None
        self.runuser = ""
        self.started = False
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("PostgreSQL refuses root and there is no postgres user") from None
        self.dir = Path(tempfile.mkdtemp(prefix="newswire-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("PostgreSQL refuses root and there is no postgres user") from None
            runuser = shutil.which("runuser") or next(
                (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.access(p, os.X_OK)), None
            )
            if runuser is None:
                raise Unavailable("PostgreSQL refuses root and there is no runuser to switch users")
            self.runuser = runuser
            self.user = "postgres"
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        os.chmod(self.dir, 0o700)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.user:
            command = [self.runuser, "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120,
                              stdin=subprocess.DEVNULL)

    def start(self) -> None:
        self.started = True
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-sync", "--no-instructions")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.dir / "log"), "-w", "-t", "60", "start")
        self.psql("postgres", "CREATE DATABASE miniflux")
        self.psql("miniflux", "CREATE EXTENSION IF NOT EXISTS pgcrypto")

    def psql(self, database: str, sql: str, *variables: tuple[str, str]) -> str:
        args = [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                "-d", database, "-v", "ON_ERROR_STOP=1", "-tA"]
        for name, value in variables:
            args += ["-v", f"{name}={value}"]
        done = subprocess.run([*args, "-c", sql] if not variables else args, input=sql if variables else None,
                              capture_output=True, text=True, timeout=60, check=False)
        if done.returncode:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout.strip()

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/miniflux?sslmode=disable"

    def stop(self) -> None:
        if self.started and (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class User:
    """A Miniflux account of one test, with its own REST client (checks the server's side)."""

    name: str
    password: str
    api: httpx.Client
    greader_user: str = ""
    greader_password: str = ""

    def get(self, path: str, **params: Any) -> Any:
        response = self.api.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def category(self, title: str) -> int:
        for item in self.get("/v1/categories"):
            if item["title"] == title:
                return int(item["id"])
        response = self.api.post("/v1/categories", json={"title": title})
        response.raise_for_status()
        return int(response.json()["id"])

    def subscribe(self, url: str, category: str = "All") -> int:
        response = self.api.post("/v1/feeds", json={"feed_url": url, "category_id": self.category(category)})
        if response.status_code >= 400:
            raise RuntimeError(f"subscribe {url}: {response.status_code} {response.text}")
        return int(response.json()["feed_id"])

    def refresh(self, feed_id: int) -> None:
        self.api.put(f"/v1/feeds/{feed_id}/refresh").raise_for_status()

    def entries(self, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = self.get("/v1/entries", limit=500, offset=offset, order="id", direction="asc", **params)
            found += page["entries"]
            if len(page["entries"]) < 500:
                return found
            offset += 500

    def entry(self, entry_id: int | str) -> dict[str, Any]:
        return dict(self.get(f"/v1/entries/{entry_id}"))

    def set_status(self, ids: list[int], status: str) -> None:
        self.api.put("/v1/entries", json={"entry_ids": ids, "status": status}).raise_for_status()

    def set_starred(self, ids: list[int], starred: bool) -> None:
        self.api.put("/v1/entries", json={"entry_ids": ids, "starred": starred}).raise_for_status()


class Miniflux:
    """Miniflux v2 on 127.0.0.1 over a Postgres; `stop`/`start` take it down and up again."""

    def __init__(self, postgres: Postgres) -> None:
        self.binary = find_miniflux()
        self.postgres = postgres
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = postgres.dir / "miniflux.log"
        self._users = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": self.postgres.url,
            "RUN_MIGRATIONS": "1",
            "CREATE_ADMIN": "1",
            "ADMIN_USERNAME": ADMIN,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "LISTEN_ADDR": f"127.0.0.1:{self.port}",
            "BASE_URL": self.url,
            "FETCHER_ALLOW_PRIVATE_NETWORKS": "1",
            "DISABLE_SCHEDULER_SERVICE": "1",  # the tests refresh feeds when they mean to
            "LOG_LEVEL": "warning",
        }
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([self.binary], env=env, stdout=log, stderr=log,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"miniflux exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthcheck", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("miniflux did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def new_user(self, *, greader: bool = False) -> User:
        """A fresh account (tests never see each other's feeds), with the Google Reader API on if asked."""
        self._users += 1
        name = f"reader{self._users}-{os.getpid()}"
        password = f"pw-{name}-secret"
        admin = httpx.Client(base_url=self.url, auth=(ADMIN, ADMIN_PASSWORD), timeout=30)
        response = admin.post("/v1/users", json={"username": name, "password": password})
        response.raise_for_status()
        admin.close()
        user = User(name, password, httpx.Client(base_url=self.url, auth=(name, password), timeout=60))
        if greader:
            user.greader_user, user.greader_password = f"g{name}", f"gpw-{name}"
            self.postgres.psql(
                "miniflux",
                "UPDATE integrations SET googlereader_enabled = true, googlereader_username = :'gu', "
                "googlereader_password = crypt(:'gp', gen_salt('bf')) "
                "WHERE user_id = (SELECT id FROM users WHERE username = :'un');",
                ("gu", user.greader_user), ("gp", user.greader_password), ("un", name),
            )
        return user
