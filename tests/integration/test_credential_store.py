"""The encrypted credential store against a real Postgres: ciphertext only, key rotation, clear
errors, atomic replacement, one refresher per account."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg2
import pytest

from core.redaction import Redactor
from core.settings import ConfigError
from core.warehouse.credentials import CredentialStore, Renewal, keyring, new_key, renew
from core.warehouse.schema import migrate

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
SECRET = "refresh-3f9a-very-secret-value"


@pytest.fixture
def store(runtime, monkeypatch):
    monkeypatch.setenv("TIDEMARK_SECRET_KEY", new_key())
    with runtime.connect() as conn:
        migrate(conn, [])
    return CredentialStore(runtime.warehouse_url, Redactor())


def dump(runtime) -> str:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select t::text from ops.credentials as t")
        return " ".join(row[0] for row in cur.fetchall())


def test_only_ciphertext_is_stored_and_it_reads_back(runtime, store):
    store.put("x", "42", {"refresh_token": SECRET}, source="connect", refresh_expires_at=NOW)
    assert SECRET not in dump(runtime) and "refresh_token" not in dump(runtime)
    assert store.get("x", "42").secrets == {"refresh_token": SECRET}
    assert store.health()[0].secrets == {}  # the health view never decrypts


def test_a_missing_or_malformed_key_is_a_clear_error_that_never_echoes_it():
    with pytest.raises(ConfigError, match="TIDEMARK_SECRET_KEY is not set"):
        keyring({})
    with pytest.raises(ConfigError, match="key 2 is not a Fernet key") as error:
        keyring({"TIDEMARK_SECRET_KEY": f"{new_key()},not-a-key-but-maybe-a-pasted-token"})
    assert "pasted-token" not in str(error.value)


def test_key_rotation_re_encrypts_every_row_and_the_old_key_can_go(runtime, store, monkeypatch):
    import os

    old = os.environ["TIDEMARK_SECRET_KEY"]
    store.put("x", "42", {"refresh_token": SECRET}, source="connect")
    before = dump(runtime)
    fresh = new_key()
    monkeypatch.setenv("TIDEMARK_SECRET_KEY", fresh)
    with pytest.raises(ConfigError, match="cannot be decrypted"):  # the old key was dropped too early
        store.get("x", "42")
    monkeypatch.setenv("TIDEMARK_SECRET_KEY", f"{fresh},{old}")
    assert store.rotate_key() == 1
    assert dump(runtime) != before
    monkeypatch.setenv("TIDEMARK_SECRET_KEY", fresh)  # only the new key now
    assert store.get("x", "42").secrets == {"refresh_token": SECRET}


def test_a_failed_write_keeps_the_previous_token(runtime, store):
    store.put("x", "42", {"refresh_token": "first"}, source="connect")
    with pytest.raises(psycopg2.Error):  # the row's check constraint refuses the write midway
        store.put("x", "42", {"refresh_token": "second"}, source="connect",
                  access_expires_at="not a time")  # type: ignore[arg-type]
    assert store.get("x", "42").secrets == {"refresh_token": "first"}


def test_two_refreshers_never_present_a_rotated_away_token(runtime, store):
    """Both start holding r0; the second waits for the first and uses what it stored."""
    store.put("x", "42", {"refresh_token": "r0", "user_access_token": "a0"}, source="connect")
    presented, spent = [], set()

    def exchange(held):
        token = held["refresh_token"]
        assert token not in spent, "a rotated-away refresh token was presented"
        presented.append(token)
        time.sleep(0.3)  # the platform's round trip, long enough for the other run to queue
        spent.add(token)
        n = len(presented)
        return Renewal({"refresh_token": f"r{n}", "user_access_token": f"a{n}"}, NOW + timedelta(hours=2))

    results = []
    threads = [threading.Thread(target=lambda: results.append(
        renew(store, "x", "42", {"refresh_token": "r0"}, exchange, now=NOW))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert presented == ["r0"]  # one refresh; the second run took the stored, still valid access token
    assert sorted(r.secrets["user_access_token"] for r in results) == ["a1", "a1"]
    assert store.get("x", "42").secrets["refresh_token"] == "r1"
