"""A throwaway PostgreSQL + PostGIS server on loopback, for the PostGIS pack tests.

``running_server()`` runs ``initdb`` in a temporary folder, starts ``postgres`` on a free
loopback port with password authentication (scram-sha-256), creates a database with the
``postgis`` extension, yields its address and stops and removes everything afterwards.
As root, the server runs as the ``postgres`` system user (PostgreSQL refuses to run as root).

``running_server(keep=folder)`` keeps the cluster in ``folder`` for the next run instead (``make bench``).
``unavailable()`` says why a server cannot be started here (missing binaries or extension),
so tests skip with that reason instead of silently passing.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def _installed_major() -> str:
    """The newest PostgreSQL major version installed with PostGIS (15 on Debian 12, 17 on 13, 18 on sid)."""
    majors = sorted((int(p.parent.parent.name) for p in Path("/usr/lib/postgresql").glob("*/bin/postgres")
                     if p.parent.parent.name.isdigit()), reverse=True)
    for major in majors:
        if Path(f"/usr/share/postgresql/{major}/extension/postgis.control").is_file():
            return str(major)
    return str(majors[0]) if majors else "15"


PG_VERSION = os.environ.get("LNRS_PG_VERSION") or _installed_major()
PG_BIN = Path(os.environ.get("LNRS_PG_BIN", f"/usr/lib/postgresql/{PG_VERSION}/bin"))
POSTGIS_CONTROL = Path(f"/usr/share/postgresql/{PG_VERSION}/extension/postgis.control")
INSTALL_HINT = f"install the Debian packages postgresql-{PG_VERSION} and postgresql-{PG_VERSION}-postgis-3 " \
               "(make setup does)"


@dataclass(frozen=True)
class PostgisServer:
    host: str
    port: int
    user: str
    password: str
    dbname: str
    psql: Path

    def run_sql(self, sql: str, dbname: str | None = None) -> str:
        """Run SQL with psql (for set-up and checks in tests); returns psql's unaligned output."""
        env = dict(os.environ, PGPASSWORD=self.password)
        proc = subprocess.run([str(self.psql), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.host,
                               "-p", str(self.port), "-U", self.user, "-d", dbname or self.dbname, "-c", sql],
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"psql failed: {proc.stderr.strip()}")
        return proc.stdout.strip()


def unavailable() -> str | None:
    """``None`` when a server can be started here, else the reason it cannot."""
    for exe in ("initdb", "pg_ctl", "postgres", "psql"):
        if not (PG_BIN / exe).is_file():
            return f"PostgreSQL {PG_VERSION} server binary {PG_BIN / exe} not found: {INSTALL_HINT}"
    if not POSTGIS_CONTROL.is_file():
        return f"the PostGIS extension for PostgreSQL {PG_VERSION} is not installed ({POSTGIS_CONTROL}): " \
               f"{INSTALL_HINT}"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no 'postgres' system user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{c}'" for c in cmd)]


def _run(cmd: list[str], log: Path, timeout: float = 120) -> None:
    proc = subprocess.run(_as_server_user(cmd), capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"{' '.join(cmd[:2])} failed ({proc.returncode}): {proc.stdout}{proc.stderr}\n{tail}")


@contextlib.contextmanager
def running_server(user: str = "lnrs", password: str = "lnrs-test-password",  # a throwaway server
                   dbname: str = "lnrs", keep: Path | None = None) -> Iterator[PostgisServer]:
    """A server on loopback for the ``with`` block.

    ``keep``: a folder for the cluster that outlives the block (``make bench`` keeps its loaded maps there):
    made on first use, started again on the next; only the server is stopped at the end.
    """
    reason = unavailable()
    if reason:
        raise RuntimeError(reason)
    root = keep if keep is not None else Path(tempfile.mkdtemp(prefix="lnrs-pg-"))
    data, sock, log = root / "data", root / "sock", root / "server.log"
    made = not (data / "PG_VERSION").is_file()
    pwfile = root / "pwfile"
    root.mkdir(parents=True, exist_ok=True)
    sock.mkdir(exist_ok=True)
    if made:
        shutil.rmtree(data, ignore_errors=True)  # a cluster whose initdb did not finish
        pwfile.write_text(password + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        for p in (root, sock, pwfile):
            os.chown(p, pg.pw_uid, pg.pw_gid)
    os.chmod(root, 0o700)
    port = _free_port()
    started = False
    try:
        if made:
            _run([str(PG_BIN / "initdb"), "-D", str(data), "-U", user, "--pwfile", str(pwfile), "-A",
                  "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"], log)
        opts = f"-p {port} -k {sock} -h 127.0.0.1 -c fsync=off -c full_page_writes=off"
        _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"], log)
        started = True
        server = PostgisServer("127.0.0.1", port, user, password, dbname, PG_BIN / "psql")
        deadline = time.monotonic() + 30
        while True:
            try:
                server.run_sql("SELECT 1", dbname="postgres")
                break
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        if not server.run_sql(f"SELECT 1 FROM pg_database WHERE datname = '{dbname}'", dbname="postgres"):
            server.run_sql(f"CREATE DATABASE {dbname}", dbname="postgres")
            server.run_sql("CREATE EXTENSION postgis")
        yield server
    finally:
        if started:
            with contextlib.suppress(Exception):
                _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast" if keep else "immediate", "-w", "stop"],
                     log, timeout=60)
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
