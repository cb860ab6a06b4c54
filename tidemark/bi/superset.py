"""Superset under .tidemark/superset: its virtual environment (made by `make bi-install`), its home
(metadata DB, SECRET_KEY, admin password, log), the server process, and a small REST client.

The metadata DB is set up by Superset's own CLI (`db upgrade`, `init`, `fab create-admin`: there is
no REST call for that); everything after — the connection, datasets, charts, dashboard — goes
through the REST API, as an operator's script would.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from core.settings import PROJECT_ROOT

LOCK_FILE = PROJECT_ROOT / "bi" / "requirements.lock"
CONFIG_FILE = PROJECT_ROOT / "bi" / "superset_config.py"
ADMIN = "admin"


class SupersetMissing(RuntimeError):
    """The Superset environment is not installed (or not from the current lock file)."""


def venv_dir() -> Path:
    """Where `make bi-install` puts it: the project's .tidemark/, whatever TIDEMARK_HOME says (the
    tests run with a throwaway home and still use the one install)."""
    return Path(os.environ.get("TIDEMARK_SUPERSET_VENV", PROJECT_ROOT / ".tidemark" / "superset-venv"))


def lock_hash() -> str:
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


def check_venv(venv: Path) -> Path:
    """The `superset` executable of an install made from the current lock file."""
    stamp = venv / ".tidemark-lock"
    if not (venv / "bin" / "superset").exists() or not stamp.exists() or stamp.read_text().strip() != lock_hash():
        raise SupersetMissing(f"Superset is not installed at {venv} from the current bi/requirements.lock: "
                              "run `make bi-install`")
    return venv / "bin" / "superset"


def _private(path: Path, text: str) -> None:
    path.touch(mode=0o600, exist_ok=True)
    os.chmod(path, 0o600)
    path.write_text(text)


@dataclass
class SupersetHome:
    """Superset's state: what it needs to start, and the admin login `tidemark bi` provisions with."""

    root: Path
    venv: Path

    @property
    def env(self) -> dict[str, str]:
        return os.environ | {"SUPERSET_CONFIG_PATH": str(CONFIG_FILE), "TIDEMARK_SUPERSET_HOME": str(self.root),
                             "FLASK_APP": "superset.app:create_app()", "SUPERSET_LOAD_EXAMPLES": "no"}

    @property
    def admin_password_file(self) -> Path:
        return self.root / "admin_password"

    def _superset(self, *args: str, stdin: str | None = None) -> None:
        result = subprocess.run([str(check_venv(self.venv)), *args], env=self.env, input=stdin,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"superset {args[0]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")

    def prepare(self) -> str | None:
        """Secret key, metadata DB, roles and the admin user. Returns the admin password when it was
        created now (the caller prints it once), else None."""
        check_venv(self.venv)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "data").mkdir(exist_ok=True)
        if not (self.root / "secret_key").exists():
            _private(self.root / "secret_key", secrets.token_urlsafe(48))
        self._metadata_db()
        if self.admin_password_file.exists():
            return None
        password = secrets.token_urlsafe(18)
        # The password goes through stdin (FAB's hidden prompt), never the command line (`ps` shows that).
        self._superset("fab", "create-admin", "--username", ADMIN, "--firstname", "Tidemark", "--lastname", "Admin",
                       "--email", "admin@tidemark.invalid", stdin=f"{password}\n{password}\n")
        _private(self.admin_password_file, password)
        return password

    def _metadata_db(self) -> None:
        """Superset's `db upgrade` + `init` (a minute on a busy machine) run once per install: their
        result is kept beside the venv and copied into each new home; a home made by another install
        of the lock is upgraded again."""
        stamp = self.root / "superset.db.lock-hash"
        if (self.root / "superset.db").exists() and stamp.exists() and stamp.read_text() == lock_hash():
            return
        template = self.venv / "tidemark-metadata.db"
        if not (self.root / "superset.db").exists() and template.exists():
            shutil.copyfile(template, self.root / "superset.db")
        else:
            self._superset("db", "upgrade")
            self._superset("init")
            if not template.exists() and not self.admin_password_file.exists():  # no user in it yet
                shutil.copyfile(self.root / "superset.db", template)
        stamp.write_text(lock_hash())

    def admin_password(self) -> str:
        return self.admin_password_file.read_text().strip()

    def start(self, port: int) -> subprocess.Popen:
        """`superset run` on 127.0.0.1:port, its output appended to superset.log; waits for /health."""
        with socket.socket() as sock:  # else /health would answer from whatever holds the port
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(f"port {port} is already in use on 127.0.0.1 (another Superset?): choose --port")
        log = open(self.root / "superset.log", "ab")  # noqa: SIM115 (the server process owns it)
        process = subprocess.Popen([str(check_venv(self.venv)), "run", "-h", "127.0.0.1", "-p", str(port),
                                    "--with-threads"], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"Superset exited at start-up (see {self.root / 'superset.log'})")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    return process
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        process.terminate()
        raise RuntimeError(f"Superset did not answer on port {port} within 90 s (see {self.root / 'superset.log'})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SupersetClient:
    """The REST API as the admin: JWT for the API, the session cookie + CSRF token for writes."""

    def __init__(self, base_url: str, username: str, password: str):
        self.http = httpx.Client(base_url=base_url, timeout=120)
        token = self._ok(self.http.post("/api/v1/security/login", json={
            "username": username, "password": password, "provider": "db", "refresh": False}))["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        csrf = self._ok(self.http.get("/api/v1/security/csrf_token/"))["result"]
        self.http.headers.update({"X-CSRFToken": csrf, "Referer": base_url})

    @staticmethod
    def _ok(response: httpx.Response) -> dict:
        if response.status_code >= 400:
            raise RuntimeError(f"Superset {response.request.method} {response.request.url.path}: "
                               f"{response.status_code} {response.text[:1500]}")
        return response.json()

    def get(self, path: str, **params) -> dict:
        return self._ok(self.http.get(path, params=params))

    def post(self, path: str, body: dict) -> dict:
        return self._ok(self.http.post(path, json=body))

    def put(self, path: str, body: dict) -> dict:
        return self._ok(self.http.put(path, json=body))

    def import_bundle(self, kind: str, bundle: bytes, passwords: dict[str, str]) -> None:
        self._ok(self.http.post(f"/api/v1/{kind}/import/", files={"formData": ("bundle.zip", bundle, "application/zip")},
                                data={"passwords": json.dumps(passwords), "overwrite": "true"}))

    def find(self, kind: str, column: str, value: str) -> dict | None:
        query = json.dumps({"filters": [{"col": column, "opr": "eq", "value": value}]})
        rows = self.get(f"/api/v1/{kind}/", q=_rison(query))["result"]
        return rows[0] if rows else None


def _rison(query: str) -> str:
    """Superset's list endpoints take rison in `q`; this small JSON subset converts directly."""
    data = json.loads(query)

    def encode(value) -> str:
        if isinstance(value, dict):
            return "(" + ",".join(f"{k}:{encode(v)}" for k, v in value.items()) + ")"
        if isinstance(value, list):
            return "!(" + ",".join(encode(v) for v in value) + ")"
        if isinstance(value, str):
            return "'" + value.replace("!", "!!").replace("'", "!'") + "'"
        return json.dumps(value)

    return encode(data)
