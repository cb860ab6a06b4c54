"""Fault injection: config parsing, each request fault over HTTP, admin endpoints and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from simulator import faults as faults_module
from simulator.faults import FaultConfig, FaultState
from simulator.server import SimulatorServer

from .conftest import NOW, YouTubeClient


def test_parse_validates_keys_and_types():
    cfg = FaultConfig.parse('{"youtube": {"quota_exceeded_after": 40, "endpoints": ["videos"]}}')
    pf = cfg.for_platform("youtube")
    assert pf.quota_exceeded_after == 40 and pf.endpoints == ["videos"] and pf.status_429_first == 0
    assert FaultConfig.parse(None).platforms == {} and FaultConfig.parse("  ").platforms == {}
    for bad in ('{"youtube": {"quota_exeeded_after": 1}}', '{"youtube": {"status_429_first": "2"}}',
                '{"youtube": {"invalid_token": 1}}', '{"youtube": 5}', "[1]"):
        with pytest.raises(ValueError):
            FaultConfig.parse(bad)


def test_mutate_body_is_a_noop_until_a_mutator_is_registered():
    state = FaultState(FaultConfig.parse('{"youtube": {"status_500_first": 1}}'))
    body = {"items": [1, 2]}
    assert state.mutate_body("youtube", "videos", body) is body

    @faults_module.register_mutator("drop_items")
    def _drop(platform, endpoint, body, value, state):
        return {**body, "items": body["items"][:value]}

    try:
        state = FaultState(FaultConfig.parse('{"youtube": {"drop_items": 1}}'))
        assert state.mutate_body("youtube", "videos", body) == {"items": [1]}
        assert state.mutate_body("tiktok", "videos", body) is body
    finally:
        del faults_module.MUTATORS["drop_items"]


def _channels(yt):
    return yt.data("channels", part="id", mine="true")


def test_quota_exceeded_after_n_calls(yt):
    yt.refresh()
    yt.sim.set_faults({"youtube": {"quota_exceeded_after": 3}})
    assert [_channels(yt).status_code for _ in range(3)] == [200, 200, 200]
    resp = _channels(yt)
    assert resp.status_code == 403
    assert resp.json() == {"error": {"code": 403, "message": resp.json()["error"]["message"], "errors": [
        {"message": resp.json()["error"]["message"], "domain": "youtube.quota", "reason": "quotaExceeded"}]}}
    assert "quota" in resp.json()["error"]["message"]
    assert yt.refresh().status_code == 200  # the token endpoint is not part of the API quota
    assert yt.admin("stats").json()["faults"]["youtube"]["quota"] == 1


def test_429_with_retry_after_then_500_then_success(yt):
    yt.refresh()
    yt.admin("faults", {"youtube": {"status_429_first": 2, "retry_after": 7, "status_500_first": 1}})
    first, second, third, fourth = (_channels(yt) for _ in range(4))
    for resp in (first, second):
        assert resp.status_code == 429 and resp.headers["Retry-After"] == "7"
        assert resp.json()["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    assert third.status_code == 500 and third.json()["error"]["errors"][0]["reason"] == "backendError"
    assert fourth.status_code == 200


def test_faults_only_count_listed_endpoints(yt):
    yt.refresh()
    yt.sim.set_faults({"youtube": {"status_500_first": 1, "endpoints": ["videos"]}})
    assert _channels(yt).status_code == 200
    assert yt.data("videos", part="id", id="AAAAAAAAAAA").status_code == 500
    assert yt.data("videos", part="id", id="AAAAAAAAAAA").status_code == 200


def test_expired_token_then_refresh_recovers(yt):
    yt.refresh()
    yt.sim.set_faults({"youtube": {"expire_token_after": 2}})
    assert [_channels(yt).status_code for _ in range(2)] == [200, 200]
    expired = _channels(yt)
    assert expired.status_code == 401 and expired.json()["error"]["errors"][0]["reason"] == "authError"
    assert yt.refresh().status_code == 200
    assert _channels(yt).status_code == 200


def test_invalid_token_revokes_the_grant(yt):
    yt.refresh()
    yt.sim.set_faults({"youtube": {"invalid_token": True}})
    assert _channels(yt).status_code == 401
    resp = yt.refresh()
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_grant"


def test_admin_endpoints_and_stats(yt):
    assert yt.admin("faults", {"youtube": {"typo_key": 1}}).status_code == 400
    assert yt.admin("faults", {"youtube": {"status_500_first": 2}}).json() == {
        "youtube": {"status_500_first": 2, "retry_after": 1}}
    assert yt.admin("faults").json()["youtube"]["status_500_first"] == 2
    assert yt.admin("clock", {"advance_seconds": 3600}).json()["now"] == "2026-11-20T13:00:00Z"
    assert yt.admin("clock", {"bogus": 1}).status_code == 400
    yt.http.get(f"{yt.sim.base_url}/nowhere")
    stats = yt.admin("stats").json()
    assert stats["unmatched"] == 1 and stats["admin"] >= 4 and stats["total"] >= 5


def test_server_uses_initial_faults_and_cli_serves(tmp_path):
    with SimulatorServer(seed=1, now=NOW, faults=FaultConfig.parse('{"youtube": {"status_500_first": 1}}')) as s:
        client = YouTubeClient(s)
        assert _channels(client).status_code == 500
        assert set(s.urls()) >= {"youtube_data", "youtube_analytics", "youtube_token"}
        client.http.close()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "--seed", "0", "--now", "2026-11-20T12:00:00Z",
                             "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        urls = json.loads(proc.stdout.readline())
        assert urls["youtube_data"] == base + "/youtube/v3"
        assert httpx.get(base + "/_sim/clock", timeout=5).json()["now"] == "2026-11-20T12:00:00Z"
    finally:
        proc.terminate()
        proc.wait(timeout=5)
