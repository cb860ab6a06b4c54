"""Connecting a YouTube channel: Google OAuth 2.0 for installed apps (loopback redirect, offline
access), then `channels?mine=true` lists the channels the grant reads.

Google does not rotate refresh tokens; they stop working when the user revokes access (or after
7 days while the Google app is in "testing" status — publish it for a lasting token).
"""

from __future__ import annotations

import httpx

from ingestion.connect import ConnectError, Exchange, Found, Grant, OAuthApp


def exchange(ex: Exchange) -> Grant:
    form = {"code": ex.code, "client_id": ex.app.client_id, "client_secret": ex.app.client_secret or "",
            "redirect_uri": ex.redirect_uri, "grant_type": "authorization_code"}
    if ex.verifier:
        form["code_verifier"] = ex.verifier
    answer = httpx.post(ex.urls["token"], data=form, timeout=30)
    body = answer.json() if answer.content else {}
    if answer.status_code != 200 or not body.get("refresh_token"):
        reason = body.get("error_description") or body.get("error") or f"HTTP {answer.status_code}"
        raise ConnectError(f"Google answered no refresh token ({reason}); the consent must be offline access")
    return Grant({"refresh_token": body["refresh_token"], "access_token": body.get("access_token", "")})


def discover(grant: Grant, ex: Exchange) -> list[Found]:
    answer = httpx.get(ex.urls["data"] + "/channels", params={"part": "id,snippet", "mine": "true"},
                       headers={"Authorization": f"Bearer {grant.secrets['access_token']}"}, timeout=30)
    items = (answer.json() or {}).get("items", []) if answer.status_code == 200 else []
    if not items:
        raise ConnectError(f"the Google account has no YouTube channel this grant can read "
                           f"(channels?mine=true answered {answer.status_code})")
    return [Found(item["id"], item.get("snippet", {}).get("title", item["id"]),
                  {"refresh_token": grant.secrets["refresh_token"]}) for item in items]


APP = OAuthApp(platform="youtube",
               scopes=("https://www.googleapis.com/auth/youtube.readonly",
                       "https://www.googleapis.com/auth/yt-analytics.readonly"),
               authorize_params={"access_type": "offline", "prompt": "consent"},
               app_env={"client_id": "TIDEMARK_YOUTUBE_CLIENT_ID", "client_secret": "TIDEMARK_YOUTUBE_CLIENT_SECRET"},
               exchange=exchange, discover=discover)
