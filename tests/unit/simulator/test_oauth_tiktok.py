"""TikTok Login Kit over HTTP: PKCE consent, code exchange, Display API, rotating refresh, revocation."""

from __future__ import annotations

import hashlib

import httpx

from simulator.server import SimulatorServer

from .oauth_flow import REDIRECT, authorize, pkce, redirect_params, revoke

KEY, SECRET = "sim-tt-key", "sim-tt-secret"
OPEN_ID = "-000simConnectOpenId0000000000001"


def _code(sim: SimulatorServer, http: httpx.Client, challenge: str) -> str:
    return authorize(http, sim.urls()["tiktok_authorize"], client_key=KEY, scope="user.info.basic,video.list",
                     code_challenge=challenge, code_challenge_method="S256")["code"]


def _exchange(sim: SimulatorServer, http: httpx.Client, code: str, verifier: str) -> httpx.Response:
    return http.post(sim.urls()["tiktok_token"], data={
        "client_key": KEY, "client_secret": SECRET, "code": code, "grant_type": "authorization_code",
        "redirect_uri": REDIRECT, "code_verifier": verifier})


def _refresh(sim: SimulatorServer, http: httpx.Client, token: str) -> httpx.Response:
    return http.post(sim.urls()["tiktok_token"], data={"client_key": KEY, "client_secret": SECRET,
                                                       "grant_type": "refresh_token", "refresh_token": token})


def _user_info(sim: SimulatorServer, http: httpx.Client, token: str) -> httpx.Response:
    return http.get(sim.urls()["tiktok_open"] + "/v2/user/info/", params={"fields": "open_id,display_name"},
                    headers={"Authorization": f"Bearer {token}"})


def _connect(sim: SimulatorServer, http: httpx.Client) -> dict:
    verifier, challenge = pkce()
    resp = _exchange(sim, http, _code(sim, http, challenge), verifier)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_code_flow_and_display_api(sim, http):
    body = _connect(sim, http)
    assert set(body) == {"open_id", "access_token", "expires_in", "refresh_token", "refresh_expires_in", "scope",
                         "token_type"}
    assert body["open_id"] == OPEN_ID and body["expires_in"] == 86400 and body["refresh_expires_in"] == 31536000
    assert body["token_type"] == "Bearer" and body["scope"] == "user.info.basic,video.list"
    info = _user_info(sim, http, body["access_token"])
    assert info.status_code == 200 and info.json()["data"]["user"]["open_id"] == OPEN_ID
    videos = http.post(sim.urls()["tiktok_open"] + "/v2/video/list/", params={"fields": "id,create_time"},
                       json={"max_count": 20}, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert videos.status_code == 200 and videos.json()["data"]["videos"]


def test_refresh_rotates_30_times_and_spent_tokens_are_refused(sim, http):
    body = _connect(sim, http)
    refresh, seen = body["refresh_token"], {body["refresh_token"]}
    for _ in range(30):
        resp = _refresh(sim, http, refresh)
        assert resp.status_code == 200, resp.text
        old, refresh = refresh, resp.json()["refresh_token"]
        assert refresh not in seen
        seen.add(refresh)
    spent = _refresh(sim, http, old)
    assert spent.status_code == 400
    assert spent.json()["error"] == "invalid_grant" and spent.json()["log_id"]
    assert _user_info(sim, http, body["access_token"]).status_code == 200  # still within its 24 hours


def test_bootstrap_refresh_token_does_not_rotate(sim, http):
    resp = _refresh(sim, http, "rft.sim:abc")
    assert resp.status_code == 200 and resp.json()["refresh_token"] == "rft.sim:abc"
    assert _refresh(sim, http, "rft.sim:abc").status_code == 200


def test_pkce_required_verifier_checked_code_single_use(sim, http):
    url = sim.urls()["tiktok_authorize"]
    base = {"response_type": "code", "client_key": KEY, "redirect_uri": REDIRECT, "state": "s", "scope": "video.list"}
    assert redirect_params(http.get(url, params=base))["error"] == "invalid_request"
    plain = {**base, "code_challenge": "x" * 43, "code_challenge_method": "plain"}
    assert redirect_params(http.get(url, params=plain))["error"] == "invalid_request"
    verifier, challenge = pkce()
    wrong = _exchange(sim, http, _code(sim, http, challenge), verifier + "x")
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_request"
    code = _code(sim, http, challenge)
    assert _exchange(sim, http, code, verifier).status_code == 200
    reused = _exchange(sim, http, code, verifier)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_desktop_hex_challenge_is_accepted(sim, http):
    verifier = "v" * 50
    code = _code(sim, http, hashlib.sha256(verifier.encode()).hexdigest())
    assert _exchange(sim, http, code, verifier).status_code == 200


def test_revocation(sim, http):
    body = _connect(sim, http)
    assert revoke(http, sim.base_url, "tiktok", OPEN_ID) >= 2
    info = _user_info(sim, http, body["access_token"])
    assert info.status_code == 401 and info.json()["error"]["code"] == "access_token_invalid"
    refused = _refresh(sim, http, body["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
