"""The embedded Postgres: started on demand from the binaries of the `pgserver` wheel.

No system Postgres is needed. Data lives under `<TIDEMARK_HOME>/pg/data` and survives between
runs; the server listens on 127.0.0.1 (a BI tool can connect) with a generated password kept in
`<TIDEMARK_HOME>/pg/server.json` (mode 0600). Postgres refuses to run as root, so as root the
binaries run as the unprivileged system user `pgserver` (created by the wheel's helper).
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import socket
import subprocess
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg2

SERVER_SETTINGS = {
    # A single-user analytics warehouse: bigger memory for sorts and index builds.
    "shared_buffers": "256MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "max_connections": "100",
    "timezone": "UTC",
}
DATABASES = ("tidemark", "dagster")
USER = "tidemark"


class EmbeddedPostgresError(RuntimeError):
    pass


def _bin(name: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class ServerState:
    port: int
    password: str

    def url(self, database: str = "tidemark") -> str:
        return f"postgresql://{USER}:{quote(self.password, safe='')}@127.0.0.1:{self.port}/{database}"


class EmbeddedPostgres:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.data_dir = self.root / "data"
        self.state_file = self.root / "server.json"
        self.log_file = self.root / "postgres.log"
        self._as_user = "pgserver" if os.geteuid() == 0 else None

    # -- public -------------------------------------------------------------------------
    def ensure_running(self) -> ServerState:
        """Start the server if needed (initialising it on first use); return how to reach it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock():
            state = self._read_state()
            if not (self.data_dir / "PG_VERSION").exists():
                state = self._initdb()
            if not self._is_running():
                if _port_in_use(state.port):
                    state = ServerState(port=_free_port(), password=state.password)
                    self._write_state(state)
                self._pg_ctl("start", "-w", "-t", "60", "-l", str(self.log_file), "-o", self._options(state))
            self._ensure_databases(state)
            return state

    def stop(self) -> bool:
        """Stop the server; False when it was not running."""
        if not (self.data_dir / "PG_VERSION").exists() or not self._is_running():
            return False
        with self._lock():
            self._pg_ctl("stop", "-w", "-t", "60", "-m", "fast")
        return True

    def is_running(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists() and self._is_running()

    # -- internals ----------------------------------------------------------------------
    @contextmanager
    def _lock(self):
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_state(self) -> ServerState:
        if self.state_file.exists():
            return ServerState(**json.loads(self.state_file.read_text()))
        return ServerState(port=_free_port(), password=secrets.token_urlsafe(18))

    def _write_state(self, state: ServerState) -> None:
        self.state_file.write_text(json.dumps(state.__dict__))
        self.state_file.chmod(0o600)

    def _run(self, args: list[str]) -> subprocess.CompletedProcess:
        result = subprocess.run(args, user=self._as_user, capture_output=True, text=True, cwd=self.root)
        if result.returncode != 0:
            tail = ""
            if self.log_file.exists():
                tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-15:])
            raise EmbeddedPostgresError(
                f"{Path(args[0]).name} failed (exit {result.returncode}): {result.stderr.strip()}\n{tail}"
            )
        return result

    def _pg_ctl(self, *args: str) -> None:
        self._run([_bin("pg_ctl"), "-D", str(self.data_dir), *args])

    def _is_running(self) -> bool:
        result = subprocess.run(
            [_bin("pg_ctl"), "-D", str(self.data_dir), "status"],
            user=self._as_user, capture_output=True, text=True,
        )
        return result.returncode == 0

    def _options(self, state: ServerState) -> str:
        settings = " ".join(f"-c {key}={value}" for key, value in SERVER_SETTINGS.items())
        return f"-p {state.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' {settings}"

    def _initdb(self) -> ServerState:
        state = self._read_state()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        pwfile = self.root / ".pwfile"
        pwfile.write_text(state.password)
        if self._as_user:
            self._grant_to_service_user(pwfile)
        try:
            self._run([
                _bin("initdb"), "-D", str(self.data_dir), "-U", USER, "--pwfile", str(pwfile),
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--encoding=UTF8",
                "--locale=C",
            ])
        finally:
            pwfile.unlink(missing_ok=True)
        self._write_state(state)
        return state

    def _grant_to_service_user(self, pwfile: Path) -> None:
        with warnings.catch_warnings():  # pgserver's import warns about XDG_RUNTIME_DIR
            warnings.simplefilter("ignore")
            from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

        entry = ensure_user_exists(self._as_user)
        ensure_prefix_permissions(self.data_dir)
        for path in (self.root, self.data_dir, pwfile):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)

    def _ensure_databases(self, state: ServerState) -> None:
        conn = psycopg2.connect(state.url("postgres"))
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                for name in DATABASES:
                    cur.execute("select 1 from pg_database where datname = %s", (name,))
                    if cur.fetchone() is None:
                        cur.execute(f'create database "{name}"')
        finally:
            conn.close()
