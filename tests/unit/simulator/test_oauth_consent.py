"""The shared consent endpoint: loopback redirect_uri, invalid requests, consent_denied, /_sim/revoke input."""

from __future__ import annotations

import pytest

from simulator.faults import FaultConfig

from .oauth_flow import REDIRECT, pkce, redirect_params

AUTHORIZE_KEYS = ("youtube_authorize", "facebook_authorize", "instagram_authorize", "tiktok_authorize",
                  "x_authorize", "linkedin_authorize")


def _params(key: str, **extra: str) -> dict[str, str]:
    _, challenge = pkce()
    client = "client_key" if key.startswith("tiktok") else "client_id"
    return {"response_type": "code", client: "sim-client", "redirect_uri": REDIRECT, "state": "abc",
            "scope": "s", "code_challenge": challenge, "code_challenge_method": "S256", **extra}


@pytest.mark.parametrize("key", AUTHORIZE_KEYS)
def test_every_platform_redirects_with_code_and_state(sim, http, key):
    got = redirect_params(http.get(sim.urls()[key], params=_params(key)))
    assert got["state"] == "abc" and got["code"]


@pytest.mark.parametrize("uri", ["https://127.0.0.1:8080/cb", "http://example.com/cb", "", "not a url",
                                 "http://127.0.0.1:99999/cb"])
def test_unusable_redirect_uri_answers_400_json(sim, http, uri):
    resp = http.get(sim.urls()["x_authorize"], params=_params("x_authorize", redirect_uri=uri))
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_request"


@pytest.mark.parametrize("uri", ["http://localhost:1/cb", "http://[::1]:4242/", "http://127.0.0.1:53682/cb?x=1"])
def test_any_loopback_host_and_port(sim, http, uri):
    got = redirect_params(http.get(sim.urls()["linkedin_authorize"], params=_params("linkedin_authorize",
                                                                                    redirect_uri=uri)), uri)
    assert got["code"]


def test_invalid_requests_redirect_with_error(sim, http):
    url = sim.urls()["youtube_authorize"]
    bad_type = redirect_params(http.get(url, params=_params("youtube_authorize", response_type="token")))
    assert bad_type["error"] == "invalid_request" and bad_type["state"] == "abc" and bad_type["error_description"]
    no_state = redirect_params(http.get(url, params={**_params("youtube_authorize"), "state": ""}))
    assert no_state["error"] == "invalid_request" and "state" not in no_state


def test_consent_denied_fault(sim, http):
    assert FaultConfig.parse({"tiktok": {"consent_denied": True}}).to_dict() == {
        "tiktok": {"consent_denied": True, "retry_after": 1}}
    sim.set_faults({"tiktok": {"consent_denied": True}})
    got = redirect_params(http.get(sim.urls()["tiktok_authorize"], params=_params("tiktok_authorize")))
    assert got["error"] == "access_denied" and got["state"] == "abc" and "code" not in got
    assert redirect_params(http.get(sim.urls()["x_authorize"], params=_params("x_authorize")))["code"]


def test_admin_revoke_validates_its_body(sim, http):
    assert http.post(f"{sim.base_url}/_sim/revoke", json={"platform": "x"}).status_code == 400
    assert http.post(f"{sim.base_url}/_sim/revoke", json=[1]).status_code == 400
    resp = http.post(f"{sim.base_url}/_sim/revoke", json={"platform": "x", "account_id": "1"})
    assert resp.status_code == 200 and resp.json() == {"revoked": 0}
