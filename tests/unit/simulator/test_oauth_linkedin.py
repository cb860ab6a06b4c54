"""LinkedIn OAuth code flow over HTTP: consent, exchange, organizationAcls, REST calls, refresh, revocation."""

from __future__ import annotations

import httpx

from simulator.server import SimulatorServer

from .oauth_flow import REDIRECT, authorize, revoke

CLIENT = {"client_id": "sim-li-client", "client_secret": "sim-li-secret"}
ORGS = ["99000001", "99000002"]


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "LinkedIn-Version": "202610", "X-Restli-Protocol-Version": "2.0.0"}


def _connect(sim: SimulatorServer, http: httpx.Client) -> dict:
    got = authorize(http, sim.urls()["linkedin_authorize"], client_id=CLIENT["client_id"],
                    scope="r_organization_social rw_organization_admin")
    resp = http.post(sim.urls()["linkedin_token"], data={**CLIENT, "grant_type": "authorization_code",
                                                         "code": got["code"], "redirect_uri": REDIRECT})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _posts(sim: SimulatorServer, http: httpx.Client, token: str, org: str) -> httpx.Response:
    return http.get(sim.urls()["linkedin_rest"] + "/posts", headers=_headers(token),
                    params={"q": "author", "author": f"urn:li:organization:{org}", "count": 10})


def test_code_flow_discovers_organizations_and_reads_each(sim, http):
    body = _connect(sim, http)
    assert set(body) == {"access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "scope"}
    assert body["expires_in"] == 5184000 and body["refresh_token_expires_in"] == 31536000
    acls = http.get(sim.urls()["linkedin_rest"] + "/organizationAcls", headers=_headers(body["access_token"]),
                    params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"})
    assert acls.status_code == 200 and acls.json()["paging"]["total"] == 2
    elements = acls.json()["elements"]
    assert [e["organization"] for e in elements] == [f"urn:li:organization:{o}" for o in ORGS]
    assert {(e["role"], e["state"]) for e in elements} == {("ADMINISTRATOR", "APPROVED")}
    assert elements[0]["roleAssignee"].startswith("urn:li:person:")
    for org in ORGS:
        assert _posts(sim, http, body["access_token"], org).status_code == 200
    assert _posts(sim, http, body["access_token"], "12345").status_code == 403


def test_refresh_does_not_rotate(sim, http):
    body = _connect(sim, http)
    resp = http.post(sim.urls()["linkedin_token"], data={**CLIENT, "grant_type": "refresh_token",
                                                         "refresh_token": body["refresh_token"]})
    assert resp.status_code == 200 and resp.json()["refresh_token"] == body["refresh_token"]
    assert _posts(sim, http, resp.json()["access_token"], ORGS[1]).status_code == 200


def test_revocation(sim, http):
    body = _connect(sim, http)
    assert revoke(http, sim.base_url, "linkedin", ORGS[0]) == 2
    denied = _posts(sim, http, body["access_token"], ORGS[1])
    assert denied.status_code == 401 and denied.json()["code"] == "REVOKED_ACCESS_TOKEN"
    refused = http.post(sim.urls()["linkedin_token"], data={**CLIENT, "grant_type": "refresh_token",
                                                            "refresh_token": body["refresh_token"]})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_request"
    boot = http.post(sim.urls()["linkedin_token"], data={**CLIENT, "grant_type": "refresh_token",
                                                         "refresh_token": "sim-li-refresh:42"})
    assert boot.status_code == 200  # bootstrap tokens are untouched
