"""Connecting a TikTok account: Login Kit for desktop (authorization code + PKCE), `POST /v2/oauth/token/`.

The answer names the user (`open_id`), which is the account id; TikTok may rotate the refresh
token on refresh, so the store keeps the newest.
"""

from __future__ import annotations

from datetime import timedelta

import httpx

from ingestion.connect import ConnectError, Exchange, Found, Grant, OAuthApp


def exchange(ex: Exchange) -> Grant:
    form = {"client_key": ex.app.client_id, "client_secret": ex.app.client_secret or "", "code": ex.code,
            "grant_type": "authorization_code", "redirect_uri": ex.redirect_uri, "code_verifier": ex.verifier or ""}
    answer = httpx.post(ex.urls["open"] + "/v2/oauth/token/", data=form, timeout=30)
    body = answer.json() if answer.content else {}
    if answer.status_code != 200 or "access_token" not in body:
        raise ConnectError(f"TikTok refused the code: {body.get('error_description') or body.get('error') or answer.status_code}")
    refresh_expires = (ex.now + timedelta(seconds=int(body["refresh_expires_in"]))
                       if body.get("refresh_expires_in") else None)
    return Grant({"access_token": body["access_token"], "refresh_token": body.get("refresh_token", "")},
                 ex.now + timedelta(seconds=max(int(body.get("expires_in", 86400)) - 60, 0)), refresh_expires,
                 subject=body.get("open_id"))


def discover(grant: Grant, ex: Exchange) -> list[Found]:
    answer = httpx.get(ex.urls["open"] + "/v2/user/info/", params={"fields": "open_id,display_name"},
                       headers={"Authorization": f"Bearer {grant.secrets['access_token']}"}, timeout=30)
    user = ((answer.json() or {}).get("data") or {}).get("user") if answer.status_code == 200 else None
    account_id = (user or {}).get("open_id") or grant.subject
    if not account_id:
        raise ConnectError(f"TikTok did not say whose token this is (user info answered {answer.status_code})")
    return [Found(account_id, (user or {}).get("display_name") or account_id, grant.secrets,
                  grant.access_expires_at, grant.refresh_expires_at)]


APP = OAuthApp(platform="tiktok", scopes=("user.info.basic", "user.info.profile", "user.info.stats", "video.list"),
               pkce=True, client_id_param="client_key", scope_separator=",",
               app_env={"client_key": "TIDEMARK_TIKTOK_CLIENT_KEY", "client_secret": "TIDEMARK_TIKTOK_CLIENT_SECRET"},
               exchange=exchange, discover=discover)
