"""A throwaway PostgreSQL server for the tests: initdb into a temp dir, loopback only.

`GUANJIA_TEST_PG` (a postgresql:// URL of a server you run) skips the start-up.
Real server, real SQL: the PostgreSQL path is tested, not imitated.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path


def _bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        self.external = os.environ.get("GUANJIA_TEST_PG")
        self.url = self.external or ""
        self._dir: Path | None = None
        self._as: list[str] = []

    def start(self) -> "PgServer":
        if self.external:
            return self
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError(
                "PostgreSQL server binaries not found (initdb). Install them with "
                "'apt-get install postgresql', or point GUANJIA_TEST_PG at a server."
            )
        self._dir = Path(tempfile.mkdtemp(prefix="guanjia-pg-"))
        data, sock = self._dir / "data", self._dir / "sock"
        sock.mkdir()
        if os.geteuid() == 0:  # initdb refuses to run as root
            user = "postgres" if _user_exists("postgres") else "nobody"
            pw = pwd.getpwnam(user)
            for p in (self._dir, sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
            self._as = ["runuser", "-u", user, "--"]
        self._run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                   "-E", "UTF8", "--locale=C", "--no-sync"])
        port = _free_port()
        opts = (f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self._dir / "log"),
                   "-w", "-t", "60", "start"])
        self._pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        return self

    def _run(self, cmd: list[str]) -> None:
        subprocess.run(self._as + cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def new_database(self) -> str:
        """A fresh, empty database on this server; its URL."""
        import psycopg2

        name = "t_" + uuid.uuid4().hex[:12]
        conn = psycopg2.connect(self.url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        if self.external or self._dir is None:
            return
        try:
            self._run(self._pg_ctl + ["-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


if __name__ == "__main__":  # a quick manual check: start, make a database, stop
    server = PgServer().start()
    t = time.perf_counter()
    print(server.new_database(), f"{time.perf_counter() - t:.3f}s")
    server.stop()
