"""Instagram Login over HTTP: consent, code exchange, long-lived token, refresh, expiry on the clock, revocation."""

from __future__ import annotations

import httpx

from simulator.server import SimulatorServer

from .oauth_flow import REDIRECT, advance, authorize, revoke

CLIENT = {"client_id": "990602627938098", "client_secret": "sim-ig-secret"}
USER = "17841400000000001"
DAY = 86400


def _graph(sim: SimulatorServer, path: str) -> str:
    return f"{sim.urls()['instagram_graph']}/{path}"


def _connect(sim: SimulatorServer, http: httpx.Client) -> str:
    code = authorize(http, sim.urls()["instagram_authorize"], client_id=CLIENT["client_id"],
                     scope="instagram_business_basic,instagram_business_manage_insights")["code"]
    short = http.post(sim.urls()["instagram_token"], data={**CLIENT, "grant_type": "authorization_code",
                                                           "redirect_uri": REDIRECT, "code": code})
    assert short.status_code == 200, short.text
    assert set(short.json()) == {"access_token", "user_id", "permissions"} and str(short.json()["user_id"]) == USER
    long = http.get(_graph(sim, "access_token"), params={"grant_type": "ig_exchange_token",
                                                         "client_secret": CLIENT["client_secret"],
                                                         "access_token": short.json()["access_token"]})
    assert long.status_code == 200, long.text
    assert long.json()["token_type"] == "bearer" and long.json()["expires_in"] == 5184000
    return long.json()["access_token"]


def _refresh(sim: SimulatorServer, http: httpx.Client, token: str) -> httpx.Response:
    return http.get(_graph(sim, "refresh_access_token"), params={"grant_type": "ig_refresh_token",
                                                                 "access_token": token})


def _me(sim: SimulatorServer, http: httpx.Client, token: str) -> httpx.Response:
    return http.get(_graph(sim, "v26.0/me"), params={"fields": "user_id,username", "access_token": token})


def test_code_flow_me_and_media(sim, http):
    assert sim.urls()["instagram_graph"] == sim.urls()["instagram_graph_instagram"]
    token = _connect(sim, http)
    me = _me(sim, http, token)
    assert me.status_code == 200 and me.json()["user_id"] == USER and me.json()["username"]
    media = http.get(_graph(sim, f"v26.0/{USER}/media"), params={"access_token": token})
    assert media.status_code == 200 and media.json()["data"]


def test_refresh_needs_24_hours_then_extends_expiry(sim, http):
    token = _connect(sim, http)
    young = _refresh(sim, http, token)
    assert young.status_code == 400 and young.json()["error"]["code"] == 100
    advance(http, sim.base_url, 59 * DAY)
    fresh = _refresh(sim, http, token)
    assert fresh.status_code == 200 and fresh.json()["expires_in"] == 5184000
    new = fresh.json()["access_token"]
    assert new != token
    advance(http, sim.base_url, 2 * DAY)  # the first token is now 61 days old, the refreshed one 2
    expired = _me(sim, http, token)
    assert expired.status_code == 400
    assert expired.json()["error"]["code"] == 190 and expired.json()["error"]["error_subcode"] == 463
    assert _me(sim, http, new).status_code == 200
    late = _refresh(sim, http, token)
    assert late.json()["error"]["code"] == 190 and late.json()["error"]["error_subcode"] == 463


def test_bootstrap_token_unchanged(sim, http):
    assert _me(sim, http, f"sim-ig:{USER}").status_code == 200


def test_revocation(sim, http):
    token = _connect(sim, http)
    assert revoke(http, sim.base_url, "instagram", USER) == 2
    denied = _me(sim, http, token)
    assert denied.status_code == 400 and denied.json()["error"]["code"] == 190
    advance(http, sim.base_url, 2 * DAY)
    assert _refresh(sim, http, token).json()["error"]["code"] == 190
