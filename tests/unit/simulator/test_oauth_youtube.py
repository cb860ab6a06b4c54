"""Google OAuth code flow over HTTP: consent, exchange, channels?mine=true, Analytics, refresh, revocation."""

from __future__ import annotations

import httpx

from simulator.server import SimulatorServer

from .oauth_flow import REDIRECT, advance, authorize, pkce, revoke

CLIENT = {"client_id": "sim-google-client", "client_secret": "sim-google-secret"}
DEFAULT = "UCsimConnect000000000001"


def _connect(sim: SimulatorServer, http: httpx.Client, **extra: str) -> dict:
    verifier, challenge = pkce()
    got = authorize(http, sim.urls()["youtube_authorize"], client_id=CLIENT["client_id"], access_type="offline",
                    scope="https://www.googleapis.com/auth/youtube.readonly", code_challenge=challenge,
                    code_challenge_method="S256", **extra)
    resp = http.post(sim.urls()["youtube_token"], data={**CLIENT, "code": got["code"], "code_verifier": verifier,
                                                        "grant_type": "authorization_code", "redirect_uri": REDIRECT})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _mine(sim: SimulatorServer, http: httpx.Client, token: str) -> httpx.Response:
    return http.get(sim.urls()["youtube_data"] + "/channels", params={"part": "id,snippet", "mine": "true"},
                    headers={"Authorization": f"Bearer {token}"})


def _refresh(sim: SimulatorServer, http: httpx.Client, token: str) -> httpx.Response:
    return http.post(sim.urls()["youtube_token"], data={**CLIENT, "grant_type": "refresh_token",
                                                        "refresh_token": token})


def test_code_flow_lists_the_granted_channel_and_serves_analytics(sim, http):
    body = _connect(sim, http)
    assert set(body) == {"access_token", "expires_in", "refresh_token", "scope", "token_type"}
    assert body["expires_in"] == 3599 and body["token_type"] == "Bearer"
    mine = _mine(sim, http, body["access_token"])
    assert mine.status_code == 200 and [it["id"] for it in mine.json()["items"]] == [DEFAULT]
    assert mine.json()["items"][0]["snippet"]["title"]
    report = http.get(sim.urls()["youtube_analytics"] + "/reports", headers={
        "Authorization": f"Bearer {body['access_token']}"}, params={
        "ids": "channel==MINE", "startDate": "2026-11-01", "endDate": "2026-11-10", "metrics": "views",
        "dimensions": "day"})
    assert report.status_code == 200, report.text


def test_login_hint_grants_several_channels(sim, http):
    channels = ["UCaaaaaaaaaaaaaaaaaaaaa1", "UCaaaaaaaaaaaaaaaaaaaaa2"]
    body = _connect(sim, http, login_hint=",".join(channels))
    assert [it["id"] for it in _mine(sim, http, body["access_token"]).json()["items"]] == channels


def test_refresh_does_not_rotate_and_access_tokens_expire(sim, http):
    body = _connect(sim, http)
    for _ in range(3):
        resp = _refresh(sim, http, body["refresh_token"])
        assert resp.status_code == 200 and "refresh_token" not in resp.json()
    advance(http, sim.base_url, 3600)
    assert _mine(sim, http, body["access_token"]).status_code == 401
    fresh = _refresh(sim, http, body["refresh_token"]).json()["access_token"]
    assert _mine(sim, http, fresh).status_code == 200


def test_exchange_errors(sim, http):
    verifier, challenge = pkce()
    url = sim.urls()["youtube_authorize"]
    code = authorize(http, url, client_id=CLIENT["client_id"], code_challenge=challenge,
                     code_challenge_method="S256")["code"]
    form = {**CLIENT, "code": code, "grant_type": "authorization_code", "redirect_uri": REDIRECT}
    wrong = http.post(sim.urls()["youtube_token"], data={**form, "code_verifier": "nope" * 12})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    code = authorize(http, url, client_id=CLIENT["client_id"])["code"]  # PKCE optional for Google
    ok = http.post(sim.urls()["youtube_token"], data={**form, "code": code})
    assert ok.status_code == 200
    reused = http.post(sim.urls()["youtube_token"], data={**form, "code": code})
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_bootstrap_refresh_still_works(sim, http):
    resp = _refresh(sim, http, "sim-refresh:UCtidemarkDemoChannel0001")
    assert resp.status_code == 200 and _mine(sim, http, resp.json()["access_token"]).status_code == 200


def test_revocation(sim, http):
    body = _connect(sim, http)
    assert revoke(http, sim.base_url, "youtube", DEFAULT) == 2
    denied = _mine(sim, http, body["access_token"])
    assert denied.status_code == 401 and denied.json()["error"]["errors"][0]["reason"] == "authError"
    refused = _refresh(sim, http, body["refresh_token"])
    assert refused.status_code == 400 and refused.json() == {"error": "invalid_grant",
                                                             "error_description": "Token has been expired or revoked."}
