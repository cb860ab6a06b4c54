"""X OAuth 2.0 code flow over HTTP: PKCE consent, exchange, /2/users/me, rotation, revocation."""

from __future__ import annotations

import httpx

from simulator.platforms.x.common import APP_BEARER
from simulator.server import SimulatorServer

from .oauth_flow import REDIRECT, advance, authorize, pkce, redirect_params, revoke

CLIENT = "sim-x-client"
INVALID = {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}


def _connect(sim: SimulatorServer, http: httpx.Client, **extra: str) -> tuple[dict, str]:
    verifier, challenge = pkce()
    got = authorize(http, sim.urls()["x_authorize"], client_id=CLIENT, scope="tweet.read users.read offline.access",
                    code_challenge=challenge, code_challenge_method="S256", **extra)
    resp = http.post(sim.urls()["x_token"], data={"code": got["code"], "grant_type": "authorization_code",
                                                  "redirect_uri": REDIRECT, "code_verifier": verifier,
                                                  "client_id": CLIENT})
    assert resp.status_code == 200, resp.text
    return resp.json(), verifier


def _refresh(sim: SimulatorServer, http: httpx.Client, token: str) -> httpx.Response:
    return http.post(sim.urls()["x_token"], data={"grant_type": "refresh_token", "refresh_token": token,
                                                  "client_id": CLIENT})


def _me(sim: SimulatorServer, http: httpx.Client, token: str) -> httpx.Response:
    return http.get(sim.urls()["x_api"] + "/users/me", headers={"Authorization": f"Bearer {token}"})


def test_code_flow_issues_user_tokens_for_the_default_user(sim, http):
    body, _ = _connect(sim, http)
    assert body["token_type"] == "bearer" and body["expires_in"] == 7200
    assert set(body) == {"token_type", "expires_in", "access_token", "scope", "refresh_token"}
    me = _me(sim, http, body["access_token"])
    assert me.status_code == 200
    user = me.json()["data"]
    assert set(user) == {"id", "name", "username"} and user["id"] == "1790000000000000001"
    tweets = http.get(f"{sim.urls()['x_api']}/users/{user['id']}/tweets",
                      headers={"Authorization": f"Bearer {body['access_token']}"})
    assert tweets.status_code == 200 and tweets.json()["data"]


def test_login_hint_picks_the_user_and_app_bearer_is_refused_on_me(sim, http):
    body, _ = _connect(sim, http, login_hint="1234567890")
    assert _me(sim, http, body["access_token"]).json()["data"]["id"] == "1234567890"
    assert _me(sim, http, APP_BEARER).status_code == 403


def test_refresh_rotates_and_the_presented_token_dies(sim, http):
    body, _ = _connect(sim, http)
    first_access, refresh = body["access_token"], body["refresh_token"]
    seen = {refresh}
    for _ in range(30):
        resp = _refresh(sim, http, refresh)
        assert resp.status_code == 200, resp.text
        new = resp.json()["refresh_token"]
        assert new not in seen
        seen.add(new)
        old, refresh = refresh, new
    reused = _refresh(sim, http, old)
    assert reused.status_code == 400 and reused.json() == INVALID
    assert _refresh(sim, http, body["refresh_token"]).json() == INVALID
    assert _me(sim, http, first_access).status_code == 200  # issued earlier, still within its 2 hours
    advance(http, sim.base_url, 7201)
    assert _me(sim, http, first_access).status_code == 401


def test_bootstrap_refresh_token_still_does_not_rotate(sim, http):
    for _ in range(3):
        resp = _refresh(sim, http, "sim-x-refresh:42")
        assert resp.status_code == 200 and resp.json()["refresh_token"] == "sim-x-refresh:42"


def test_pkce_is_required_and_checked(sim, http):
    url = sim.urls()["x_authorize"]
    base = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "state": "s1", "scope": "users.read"}
    missing = redirect_params(http.get(url, params=base))
    assert missing["error"] == "invalid_request" and missing["state"] == "s1" and "code" not in missing
    plain = redirect_params(http.get(url, params={**base, "code_challenge": "abc", "code_challenge_method": "plain"}))
    assert plain["error"] == "invalid_request"
    verifier, challenge = pkce()
    got = authorize(http, url, client_id=CLIENT, scope="users.read", code_challenge=challenge,
                    code_challenge_method="S256")
    form = {"code": got["code"], "grant_type": "authorization_code", "redirect_uri": REDIRECT, "client_id": CLIENT}
    wrong = http.post(sim.urls()["x_token"], data={**form, "code_verifier": verifier + "x"})
    assert wrong.status_code == 400 and wrong.json() == INVALID
    again = http.post(sim.urls()["x_token"], data={**form, "code_verifier": verifier})
    assert again.status_code == 400 and again.json() == INVALID  # a code is single-use, even after a failure


def test_code_is_single_use_bound_and_short_lived(sim, http):
    url, token_url = sim.urls()["x_authorize"], sim.urls()["x_token"]

    def fresh() -> tuple[str, str]:
        verifier, challenge = pkce()
        got = authorize(http, url, client_id=CLIENT, code_challenge=challenge, code_challenge_method="S256",
                        scope="users.read offline.access")
        return got["code"], verifier

    code, verifier = fresh()
    form = {"code": code, "grant_type": "authorization_code", "redirect_uri": REDIRECT, "code_verifier": verifier,
            "client_id": CLIENT}
    assert http.post(token_url, data=form).status_code == 200
    reused = http.post(token_url, data=form)
    assert reused.status_code == 400 and reused.json() == INVALID
    code, verifier = fresh()
    other = http.post(token_url, data={**form, "code": code, "code_verifier": verifier,
                                       "redirect_uri": "http://127.0.0.1:9/other"})
    assert other.status_code == 400
    code, verifier = fresh()
    advance(http, sim.base_url, 601)
    late = http.post(token_url, data={**form, "code": code, "code_verifier": verifier})
    assert late.status_code == 400 and late.json() == INVALID


def test_no_offline_access_no_refresh_token(sim, http):
    verifier, challenge = pkce()
    got = authorize(http, sim.urls()["x_authorize"], client_id=CLIENT, scope="tweet.read users.read",
                    code_challenge=challenge, code_challenge_method="S256")
    body = http.post(sim.urls()["x_token"], auth=(CLIENT, "secret"), data={
        "code": got["code"], "grant_type": "authorization_code", "redirect_uri": REDIRECT,
        "code_verifier": verifier}).json()
    assert "access_token" in body and "refresh_token" not in body


def test_revocation_admin_and_oauth2_revoke(sim, http):
    body, _ = _connect(sim, http)
    user = _me(sim, http, body["access_token"]).json()["data"]["id"]
    assert revoke(http, sim.base_url, "x", user) == 2
    me = _me(sim, http, body["access_token"])
    assert me.status_code == 401 and me.json()["title"] == "Unauthorized"
    assert _refresh(sim, http, body["refresh_token"]).json() == INVALID

    body, _ = _connect(sim, http)
    resp = http.post(sim.urls()["x_revoke"], data={"token": body["access_token"], "client_id": CLIENT})
    assert resp.status_code == 200 and resp.json() == {"revoked": True}
    assert _me(sim, http, body["access_token"]).status_code == 401
    assert _refresh(sim, http, body["refresh_token"]).status_code == 200  # only that one token died
