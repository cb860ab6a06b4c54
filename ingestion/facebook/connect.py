"""Connecting Facebook Pages: Facebook Login (code flow), a long-lived user token, then
`/me/accounts` lists the Pages with their Page tokens.

A Page token obtained from a long-lived user token does not expire; it stops working when the
user removes the app or changes their password (then the token check names the Page to reconnect).
"""

from __future__ import annotations

import httpx

from ingestion.connect import ConnectError, Exchange, Found, Grant, OAuthApp


def graph(ex: Exchange) -> str:
    return f"{ex.urls['graph']}/{ex.limits['api_version']}"


def _token(ex: Exchange, params: dict) -> str:
    answer = httpx.get(graph(ex) + "/oauth/access_token", timeout=30,
                       params={"client_id": ex.app.client_id, "client_secret": ex.app.client_secret or "", **params})
    body = answer.json() if answer.content else {}
    if answer.status_code != 200 or "access_token" not in body:
        raise ConnectError(f"Facebook refused the exchange: {(body.get('error') or {}).get('message', answer.status_code)}")
    return body["access_token"]


def exchange(ex: Exchange) -> Grant:
    short = _token(ex, {"redirect_uri": ex.redirect_uri, "code": ex.code})
    long_lived = _token(ex, {"grant_type": "fb_exchange_token", "fb_exchange_token": short})
    return Grant({"user_token": long_lived})


def discover(grant: Grant, ex: Exchange) -> list[Found]:
    answer = httpx.get(graph(ex) + "/me/accounts", params={"fields": "id,name,access_token",
                                                           "access_token": grant.secrets["user_token"]}, timeout=30)
    pages = (answer.json() or {}).get("data", []) if answer.status_code == 200 else []
    if not pages:
        raise ConnectError(f"the Facebook user manages no Page this grant can read (/me/accounts answered "
                           f"{answer.status_code})")
    return [Found(page["id"], page.get("name", page["id"]), {"access_token": page["access_token"]})
            for page in pages if page.get("access_token")]


APP = OAuthApp(platform="facebook",
               scopes=("pages_show_list", "pages_read_engagement", "read_insights", "pages_read_user_content"),
               scope_separator=",",
               app_env={"client_id": "TIDEMARK_META_APP_ID", "app_secret": "TIDEMARK_META_APP_SECRET"},
               exchange=exchange, discover=discover)
