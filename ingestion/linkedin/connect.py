"""Connecting LinkedIn organizations: 3-legged OAuth 2.0, then `organizationAcls` lists the Pages
the member administers.

Access tokens live 60 days and refresh tokens a year (programmatic refresh must be enabled for the
app); LinkedIn does not rotate them, so a reconnect is due once a year — the token check warns.
"""

from __future__ import annotations

from datetime import timedelta

import httpx

from ingestion.connect import ConnectError, Exchange, Found, Grant, OAuthApp

ORG = "urn:li:organization:"


def exchange(ex: Exchange) -> Grant:
    form = {"grant_type": "authorization_code", "code": ex.code, "redirect_uri": ex.redirect_uri,
            "client_id": ex.app.client_id, "client_secret": ex.app.client_secret or ""}
    answer = httpx.post(ex.urls["token"], data=form, timeout=30)
    body = answer.json() if answer.content else {}
    if answer.status_code != 200 or "access_token" not in body:
        raise ConnectError(f"LinkedIn refused the code: {body.get('error_description') or answer.status_code}")
    secrets = {"access_token": body["access_token"]}
    if body.get("refresh_token"):
        secrets["refresh_token"] = body["refresh_token"]
    access_expires = ex.now + timedelta(seconds=int(body.get("expires_in", 5184000)))
    refresh_in = body.get("refresh_token_expires_in")
    # Without programmatic refresh (no refresh token) the access token's own expiry is the reconnect date.
    reconnect_by = ex.now + timedelta(seconds=int(refresh_in)) if refresh_in else access_expires
    return Grant(secrets, access_expires, reconnect_by)


def discover(grant: Grant, ex: Exchange) -> list[Found]:
    headers = {"Authorization": f"Bearer {grant.secrets['access_token']}", "X-Restli-Protocol-Version": "2.0.0",
               "LinkedIn-Version": str(ex.limits["api_version"])}
    answer = httpx.get(ex.urls["rest"] + "/organizationAcls", headers=headers, timeout=30,
                       params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"})
    elements = (answer.json() or {}).get("elements", []) if answer.status_code == 200 else []
    ids = [e["organization"][len(ORG):] for e in elements if str(e.get("organization", "")).startswith(ORG)]
    if not ids:
        raise ConnectError(f"the member administers no LinkedIn Page this grant can read "
                           f"(organizationAcls answered {answer.status_code})")
    return [Found(org, f"organization {org}", grant.secrets, grant.access_expires_at, grant.refresh_expires_at)
            for org in ids]


APP = OAuthApp(platform="linkedin", scopes=("r_organization_social", "rw_organization_admin"),
               app_env={"client_id": "TIDEMARK_LINKEDIN_CLIENT_ID", "client_secret": "TIDEMARK_LINKEDIN_CLIENT_SECRET"},
               exchange=exchange, discover=discover)
