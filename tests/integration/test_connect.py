"""`tidemark connect` and the token life after it, end to end against the simulator's OAuth side.

The simulator implements each platform's consent redirect, code exchange (PKCE on X and TikTok),
discovery, refresh with rotation that invalidates the presented token (X, TikTok), expiring
Instagram long-lived tokens and revocation. The test plays the user's browser: it follows the
authorization address to the loopback listener of the command.
"""

from __future__ import annotations

import json
import subprocess
import threading
from datetime import datetime, timedelta

import dagster as dg
import httpx
import pytest
import yaml

from core.platform import settings_for
from core.warehouse.credentials import DEAD, new_key
from ingestion.registry import all_raw_tables, connectors
from ingestion.runner import run_platform
from ingestion.sync import Window
from simulator.faults import FaultConfig
from simulator.server import SimulatorServer
from tests.conftest import SIM_NOW
from tidemark.cli import main as cli
from tidemark.commands.connect import connect
from tidemark.runtime import WiredRuntime, load_runtime

START = datetime.fromisoformat(SIM_NOW)
PLATFORMS = ["youtube", "facebook", "instagram", "tiktok", "x", "linkedin"]
APP_ENV = {
    "TIDEMARK_YOUTUBE_CLIENT_ID": "sim-google-client", "TIDEMARK_YOUTUBE_CLIENT_SECRET": "sim-google-secret",
    "TIDEMARK_META_APP_ID": "sim-meta-app", "TIDEMARK_META_APP_SECRET": "sim-meta-secret",
    "TIDEMARK_INSTAGRAM_APP_ID": "sim-ig-app", "TIDEMARK_INSTAGRAM_APP_SECRET": "sim-ig-secret",
    "TIDEMARK_TIKTOK_CLIENT_KEY": "sim-tiktok-key", "TIDEMARK_TIKTOK_CLIENT_SECRET": "sim-tiktok-secret",
    "TIDEMARK_X_CLIENT_ID": "sim-x-client", "TIDEMARK_X_BEARER_TOKEN": "AAAAAAAAAAAAAAAAAAAAAtidemarksimulatorappbearer",
    "TIDEMARK_LINKEDIN_CLIENT_ID": "sim-li-client", "TIDEMARK_LINKEDIN_CLIENT_SECRET": "sim-li-secret",
}


@pytest.fixture
def sim():
    server = SimulatorServer(seed=11, now=START, port=0).start()
    yield server
    server.stop()


@pytest.fixture
def live(tidemark_env, monkeypatch, tmp_path, sim):
    """An empty live workspace whose platform addresses are the simulator's."""
    config = tmp_path / "tidemark.yaml"
    config.write_text("# a live workspace: accounts arrive through `tidemark connect`\n"
                      "workspace:\n  id: live\n  name: Live workspace\n  timezone: UTC\nplatforms: {}\n")
    monkeypatch.setenv("TIDEMARK_CONFIG", str(config))
    monkeypatch.setenv("TIDEMARK_SECRET_KEY", new_key())
    monkeypatch.setenv("TIDEMARK_INITIAL_SYNC_DAYS", "7")
    urls = sim.urls()
    for platform, item in connectors().items():
        for key in item.spec.defaults.base_urls:
            monkeypatch.setenv(f"TIDEMARK_{platform.upper()}_{key.upper()}_BASE_URL", urls[f"{platform}_{key}"])
    for key, value in APP_ENV.items():
        monkeypatch.setenv(key, value)
    return config


def consent(url: str) -> None:
    """The user's browser: the platform's consent page redirects to the command's loopback listener."""
    answer = httpx.get(url, follow_redirects=True, timeout=30)
    assert answer.status_code == 200, answer.text


def at(monkeypatch, sim, hours: float) -> datetime:
    """Move both clocks (the simulator's and the runs') to START + hours."""
    now = START + timedelta(hours=hours)
    monkeypatch.setenv("TIDEMARK_SIM_NOW", now.isoformat())
    sim.set_now(now)
    return now


def sync(platform: str, run_id: str):
    runtime = load_runtime()
    runtime.prepare_warehouse(all_raw_tables())
    today = runtime.settings.now().date()
    return runtime, run_platform(runtime, platform, Window(today - timedelta(days=1), today), run_id,
                                 sleep=lambda seconds: None)  # rate-limit waits on a virtual clock


def stored(runtime, platform: str, account_id: str):
    return runtime.credential_store.get(platform, account_id)


def token_calls(sim, platform: str = "x") -> int:
    return sim.state.stats.snapshot()["calls"].get(platform, {}).get("token", 0)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_connect_adds_the_accounts_without_secrets_and_they_sync(live, platform):
    chosen = connect(platform, port=0, open_url=consent, ask=lambda prompt: "all")
    assert chosen
    written = yaml.safe_load(live.read_text())["platforms"][platform]["accounts"]
    assert {a["id"] for a in written} == {f.account_id for f in chosen}
    assert all(a["connected"] is True and a["simulated"] is False for a in written)
    text = live.read_text()
    assert text.startswith("# a live workspace")  # the user's comments survive
    for found in chosen:
        assert not any(secret in text for secret in found.secrets.values())
    runtime, results = sync(platform, f"run-{platform}")
    assert [r.status for r in results] == ["success"] * len(chosen), [r.message for r in results]
    assert all(r.rows_loaded > 0 for r in results)
    assert all(stored(runtime, platform, f.account_id).source == "connect" for f in chosen)


def test_a_pick_among_several_accounts_adds_only_that_one(live):
    chosen = connect("facebook", port=0, open_url=consent, ask=lambda prompt: "2")
    assert len(chosen) == 1
    assert [a["id"] for a in yaml.safe_load(live.read_text())["platforms"]["facebook"]["accounts"]] == \
        [chosen[0].account_id]


def test_denied_consent_and_missing_app_variables_are_clear_errors(live, sim, monkeypatch, capsys):
    from ingestion.connect import ConnectError

    sim.state.set_faults(FaultConfig.parse({"x": {"consent_denied": True}}))
    with pytest.raises(ConnectError, match="did not grant access: access_denied"):
        connect("x", port=0, open_url=consent)
    monkeypatch.delenv("TIDEMARK_LINKEDIN_CLIENT_SECRET")
    assert cli(["connect", "linkedin", "--port", "0", "--no-browser"]) == 2
    assert "TIDEMARK_LINKEDIN_CLIENT_SECRET" in capsys.readouterr().err


def test_x_keeps_working_through_30_runs_with_a_rotation_on_each(live, sim, monkeypatch):
    [account] = connect("x", port=0, open_url=consent)
    exchanged = token_calls(sim)  # the code exchange
    spent = set()
    for run in range(1, 31):
        at(monkeypatch, sim, 3 * run)  # the 2-hour access token has expired: every run refreshes
        before = stored(load_runtime(), "x", account.account_id).secrets["refresh_token"]
        runtime, [result] = sync("x", f"run-x-{run}")
        assert result.status == "success", (run, result.message)
        now_held = stored(runtime, "x", account.account_id)
        assert now_held.secrets["refresh_token"] != before  # rotated, and the new one is what is kept
        spent.add(before)
    assert token_calls(sim) - exchanged == 30 and now_held.version == 31  # connect + 30 rotations
    assert now_held.secrets["refresh_token"] not in spent


def test_a_run_killed_after_its_refresh_leaves_the_rotated_token_usable(live, sim, monkeypatch):
    from ingestion.x.auth import XAuth

    [account] = connect("x", port=0, open_url=consent)
    exchanged = token_calls(sim)
    at(monkeypatch, sim, 3)
    original = XAuth.refresh

    def refresh_then_die(self):
        original(self)
        raise RuntimeError("process killed right after the refresh")

    monkeypatch.setattr(XAuth, "refresh", refresh_then_die)
    _, [killed] = sync("x", "run-killed")
    assert killed.status == "failed"
    monkeypatch.setattr(XAuth, "refresh", original)
    at(monkeypatch, sim, 6)  # expired again: the next run must refresh with what the dead run stored
    runtime, [result] = sync("x", "run-after")
    assert result.status == "success", result.message
    assert token_calls(sim) - exchanged == 2


def test_a_failed_store_write_keeps_the_old_row_and_fails_with_the_reconnect_hint(live, sim, monkeypatch):
    """X invalidates the presented token as it answers: a write that fails right then cannot be
    saved by any client. What must hold: nothing half-written, and a clear reconnect message."""
    import psycopg2

    from core.warehouse.credentials import CredentialStore

    [account] = connect("x", port=0, open_url=consent)
    before = stored(load_runtime(), "x", account.account_id)
    at(monkeypatch, sim, 3)
    original = CredentialStore.put

    def write_fails(self, *args, **kwargs):
        raise psycopg2.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CredentialStore, "put", write_fails)
    _, [failed] = sync("x", "run-write-fails")
    assert failed.status == "failed"
    monkeypatch.setattr(CredentialStore, "put", original)
    runtime = load_runtime()
    assert stored(runtime, "x", account.account_id).secrets == before.secrets  # the previous row, whole
    _, [next_run] = sync("x", "run-next")
    assert next_run.status == "failed" and f"tidemark connect x --account-id {account.account_id}" in next_run.message


def test_two_concurrent_runs_on_one_rotating_account_both_succeed(live, sim, monkeypatch):
    [account] = connect("x", port=0, open_url=consent)
    exchanged = token_calls(sim)
    at(monkeypatch, sim, 3)
    results = {}

    def one(name):
        results[name] = sync("x", name)[1][0]

    threads = [threading.Thread(target=one, args=(f"run-concurrent-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status for r in results.values()] == ["success", "success"], [r.message for r in results.values()]
    assert token_calls(sim) - exchanged == 1  # the second waited for the lock and used the stored token


def test_tiktok_rotation_is_kept_across_runs(live, sim, monkeypatch):
    [account] = connect("tiktok", port=0, open_url=consent)
    for run in range(1, 4):
        at(monkeypatch, sim, 25 * run)  # the 24-hour access token has expired
        _, [result] = sync("tiktok", f"run-tiktok-{run}")
        assert result.status == "success", result.message
    held = stored(load_runtime(), "tiktok", account.account_id)
    assert held.version == 4 and held.refresh_expires_at is not None


def test_instagram_token_is_refreshed_before_it_expires_and_dies_without(live, sim, monkeypatch):
    from orchestration.social.tokens import instagram_token_refresh

    [account] = connect("instagram", port=0, open_url=consent)
    first = stored(load_runtime(), "instagram", account.account_id).access_expires_at
    at(monkeypatch, sim, 45 * 24)  # 15 days left: due
    assert dg.materialize([instagram_token_refresh], resources={"tidemark": WiredRuntime()}).success
    renewed = stored(load_runtime(), "instagram", account.account_id)
    assert renewed.access_expires_at > first + timedelta(days=40)
    at(monkeypatch, sim, 90 * 24)  # past the first expiry, within the renewed one
    _, [result] = sync("instagram", "run-renewed")
    assert result.status == "success", result.message
    at(monkeypatch, sim, 200 * 24)  # nobody refreshed it: dead, and the refresh asset says so
    assert dg.materialize([instagram_token_refresh], resources={"tidemark": WiredRuntime()}).success
    assert stored(load_runtime(), "instagram", account.account_id).status == DEAD


def test_a_revoked_token_fails_clearly_is_listed_first_and_fails_its_check(live, sim, monkeypatch, capsys):
    from orchestration.social.tokens import build_token_check

    [account] = connect("x", port=0, open_url=consent)
    httpx.post(sim.urls()["x_api"].rsplit("/x/", 1)[0] + "/_sim/revoke",
               json={"platform": "x", "account_id": account.account_id}).raise_for_status()
    at(monkeypatch, sim, 3)
    runtime, [result] = sync("x", "run-revoked")
    hint = f"tidemark connect x --account-id {account.account_id}"
    assert result.status == "failed" and result.error_class == "AuthError" and hint in result.message
    assert stored(runtime, "x", account.account_id).status == DEAD
    assert cli(["accounts", "list"]) == 1
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith("x") and "dead" in listing[0] and hint in listing[0]
    check = build_token_check(runtime.platforms["x"])
    evaluation = check(dg.build_asset_check_context(), tidemark=WiredRuntime())
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert hint in evaluation.description


def test_no_token_is_in_clear_in_a_database_dump_or_the_logs(live, sim, monkeypatch, caplog, tidemark_env):
    caplog.set_level("DEBUG")
    [account] = connect("x", port=0, open_url=consent)
    at(monkeypatch, sim, 3)
    runtime, [result] = sync("x", "run-dump")
    assert result.status == "success"
    secrets = list(stored(runtime, "x", account.account_id).secrets.values())
    pg_dump = str(next(iter(__import__("pathlib").Path(__import__("pgserver").__file__).parent.glob(
        "pginstall/bin/pg_dump"))))
    dump = subprocess.run([pg_dump, "--data-only", tidemark_env["DATABASE_URL"]], capture_output=True, text=True,
                          check=True).stdout
    assert "ops.credentials" in dump or "credentials" in dump
    logs = caplog.text + json.dumps([r.message for r in [result]])
    assert secrets and not [s for s in secrets if s in dump or s in logs]
    assert not [s for s in APP_ENV.values() if s.startswith("sim-") and s.endswith("secret") and s in dump]


def test_an_environment_refresh_token_moves_into_the_store_on_its_first_rotation(live, sim, monkeypatch):
    """The simplest path still works: an X account configured with variables; its first refresh
    rotates the token and the store takes over (the variable's token is spent from then on)."""
    grant = connect("x", port=0, open_url=consent)[0]  # a real rotating refresh token, then forget the store
    runtime = load_runtime()
    runtime.credential_store.delete("x", grant.account_id)
    document = yaml.safe_load(live.read_text())
    account = document["platforms"]["x"]["accounts"][0]
    account.pop("connected")
    account["credentials"]["refresh_token_env"] = "TEST_X_REFRESH"
    live.write_text(yaml.safe_dump(document))
    monkeypatch.setenv("TEST_X_REFRESH", grant.secrets["refresh_token"])
    at(monkeypatch, sim, 3)
    runtime, [first] = sync("x", "run-env-1")
    assert first.status == "success", first.message
    assert stored(runtime, "x", grant.account_id).source == "rotated"
    at(monkeypatch, sim, 6)
    _, [second] = sync("x", "run-env-2")  # the variable still holds the spent token: the store's is used
    assert second.status == "success", second.message


def test_settings_know_every_connect_address():
    for platform, item in connectors().items():
        assert item.oauth is not None, platform
        assert "authorize" in settings_for(item.spec).base_urls, platform


def test_the_token_check_warns_before_a_refresh_token_expires(live, sim, monkeypatch):
    from orchestration.social.tokens import build_token_check

    chosen = connect("linkedin", port=0, open_url=consent, ask=lambda prompt: "1")
    runtime = load_runtime()
    check = build_token_check(runtime.platforms["linkedin"])
    healthy = check(dg.build_asset_check_context(), tidemark=WiredRuntime())
    assert healthy.passed  # a year ahead
    held = stored(runtime, "linkedin", chosen[0].account_id)
    runtime.credential_store.put("linkedin", chosen[0].account_id, held.secrets, source=held.source,
                                 access_expires_at=held.access_expires_at,
                                 refresh_expires_at=START + timedelta(days=10))
    soon = check(dg.build_asset_check_context(), tidemark=WiredRuntime())
    assert not soon.passed and soon.severity == dg.AssetCheckSeverity.WARN
    assert f"tidemark connect linkedin --account-id {chosen[0].account_id}" in soon.description
