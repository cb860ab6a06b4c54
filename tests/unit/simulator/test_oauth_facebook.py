"""Facebook Login over HTTP: dialog, code exchange, long-lived user token, /me/accounts, Page calls, revocation."""

from __future__ import annotations

import httpx

from simulator.server import SimulatorServer

from .oauth_flow import REDIRECT, authorize, revoke

CLIENT = {"client_id": "1234567890", "client_secret": "sim-fb-secret"}
PAGES = ["9990000000000001", "9990000000000002"]


def _graph(sim: SimulatorServer, path: str) -> str:
    return f"{sim.urls()['facebook_graph']}/v26.0/{path}"


def _connect(sim: SimulatorServer, http: httpx.Client) -> str:
    code = authorize(http, sim.urls()["facebook_authorize"], client_id=CLIENT["client_id"],
                     scope="pages_show_list,read_insights")["code"]
    short = http.get(sim.urls()["facebook_token"], params={**CLIENT, "redirect_uri": REDIRECT, "code": code})
    assert short.status_code == 200, short.text
    assert short.json()["token_type"] == "bearer" and short.json()["expires_in"] == 5183944
    long = http.get(sim.urls()["facebook_token"], params={**CLIENT, "grant_type": "fb_exchange_token",
                                                          "fb_exchange_token": short.json()["access_token"]})
    assert long.status_code == 200 and long.json()["expires_in"] == 5184000
    return long.json()["access_token"]


def test_user_token_lists_pages_whose_tokens_read_the_page(sim, http):
    user = _connect(sim, http)
    me = http.get(_graph(sim, "me"), params={"access_token": user})
    assert me.status_code == 200 and set(me.json()) == {"id", "name"}
    accounts = http.get(_graph(sim, "me/accounts"), params={"access_token": user})
    assert accounts.status_code == 200
    data = accounts.json()["data"]
    assert [p["id"] for p in data] == PAGES and "cursors" in accounts.json()["paging"]
    assert all(p["access_token"] and "ANALYZE" in p["tasks"] and p["name"] for p in data)
    page_token = data[0]["access_token"]
    node = http.get(_graph(sim, PAGES[0]), params={"access_token": page_token,
                                                   "fields": "id,name,instagram_business_account"})
    assert node.status_code == 200 and node.json()["instagram_business_account"]["id"].startswith("1784")
    posts = http.get(_graph(sim, f"{PAGES[0]}/posts"), params={"access_token": page_token})
    assert posts.status_code == 200 and posts.json()["data"]
    same = http.get(_graph(sim, "me/accounts"), params={"access_token": user}).json()["data"][0]["access_token"]
    assert same == page_token


def test_code_errors_are_graph_errors(sim, http):
    code = authorize(http, sim.urls()["facebook_authorize"], client_id=CLIENT["client_id"])["code"]
    params = {**CLIENT, "redirect_uri": REDIRECT, "code": code}
    assert http.get(sim.urls()["facebook_token"], params=params).status_code == 200
    reused = http.get(sim.urls()["facebook_token"], params=params)
    assert reused.status_code == 400 and reused.json()["error"]["code"] == 100
    assert http.get(sim.urls()["facebook_token"], params={"client_id": "1"}).json()["error"]["code"] == 1


def test_bootstrap_page_token_unchanged(sim, http):
    resp = http.get(_graph(sim, "me"), params={"access_token": "sim-fb-page:42", "fields": "id"})
    assert resp.status_code == 200 and resp.json() == {"id": "42"}


def test_revocation(sim, http):
    user = _connect(sim, http)
    page_token = http.get(_graph(sim, "me/accounts"), params={"access_token": user}).json()["data"][0]["access_token"]
    assert revoke(http, sim.base_url, "facebook", PAGES[0]) == 3  # short- and long-lived user token, Page token
    for token in (user, page_token):
        resp = http.get(_graph(sim, f"{PAGES[0]}/posts"), params={"access_token": token})
        assert resp.status_code == 400 and resp.json()["error"]["code"] == 190
    assert http.get(_graph(sim, "me/accounts"), params={"access_token": user}).json()["error"]["code"] == 190
