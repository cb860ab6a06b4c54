"""Connecting an Instagram professional account with Instagram Login, and keeping its token alive.

The code gives a short-lived token (1 h), exchanged for a long-lived one (60 days). A long-lived
token can be refreshed once it is 24 h old and until it expires — not after — so the scheduled
`instagram_token_refresh` asset refreshes stored tokens well before their expiry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx

from ingestion.connect import ConnectError, Exchange, Found, Grant, OAuthApp

LIFETIME_S = 60 * 24 * 3600


def _long_lived(answer: httpx.Response, what: str, now: datetime) -> Grant:
    body = answer.json() if answer.content else {}
    if answer.status_code != 200 or "access_token" not in body:
        raise ConnectError(f"Instagram refused the {what}: {(body.get('error') or {}).get('message', answer.status_code)}")
    expires = now + timedelta(seconds=int(body.get("expires_in", LIFETIME_S)))
    return Grant({"access_token": body["access_token"]}, expires, expires)


def exchange(ex: Exchange) -> Grant:
    form = {"client_id": ex.app.client_id, "client_secret": ex.app.client_secret or "",
            "grant_type": "authorization_code", "redirect_uri": ex.redirect_uri, "code": ex.code}
    answer = httpx.post(ex.urls["token"], data=form, timeout=30)
    body = answer.json() if answer.content else {}
    if answer.status_code != 200 or "access_token" not in body:
        raise ConnectError(f"Instagram refused the code: {body.get('error_message') or answer.status_code}")
    exchanged = httpx.get(ex.urls["graph_instagram"] + "/access_token", timeout=30,
                          params={"grant_type": "ig_exchange_token", "client_secret": ex.app.client_secret or "",
                                  "access_token": body["access_token"]})
    grant = _long_lived(exchanged, "long-lived token exchange", ex.now)
    return Grant(grant.secrets, grant.access_expires_at, grant.refresh_expires_at, subject=str(body.get("user_id")))


def discover(grant: Grant, ex: Exchange) -> list[Found]:
    answer = httpx.get(f"{ex.urls['graph_instagram']}/{ex.limits['api_version']}/me", timeout=30,
                       params={"fields": "user_id,username", "access_token": grant.secrets["access_token"]})
    me = answer.json() if answer.status_code == 200 else {}
    account_id = str(me.get("user_id") or me.get("id") or grant.subject or "")
    if not account_id:
        raise ConnectError(f"Instagram did not say whose token this is (/me answered {answer.status_code})")
    return [Found(account_id, me.get("username", account_id), grant.secrets, grant.access_expires_at,
                  grant.refresh_expires_at, options={"login": "instagram"})]


def refresh_long_lived(graph_instagram: str, token: str, now: datetime) -> Grant:
    """A new long-lived token (another 60 days) for one that is at least 24 h old and not expired."""
    answer = httpx.get(graph_instagram + "/refresh_access_token", timeout=30,
                       params={"grant_type": "ig_refresh_token", "access_token": token})
    return _long_lived(answer, "token refresh", now)


APP = OAuthApp(platform="instagram", scopes=("instagram_business_basic", "instagram_business_manage_insights"),
               scope_separator=",",
               app_env={"client_id": "TIDEMARK_INSTAGRAM_APP_ID", "app_secret": "TIDEMARK_INSTAGRAM_APP_SECRET"},
               exchange=exchange, discover=discover)


REFRESH_WITHIN = timedelta(days=20)  # refresh a stored token once it has less than this left
MIN_AGE = timedelta(hours=24)  # Instagram refuses to refresh a token younger than this


def keep_alive(store, graph_instagram: str, now: datetime, log=lambda message: None) -> dict[str, str]:
    """Refresh every stored Instagram token that nears its expiry; returns account id → outcome.
    A refused refresh marks the token dead (the token check then names the account to reconnect)."""
    outcomes = {}
    for record in store.health():
        expires = record.access_expires_at
        if record.platform != "instagram" or record.status != "ok" or expires is None:
            continue
        if expires - now > REFRESH_WITHIN or now - record.updated_at < MIN_AGE:
            outcomes[record.account_id] = f"valid until {expires:%Y-%m-%d}, not due"
            continue
        token = store.get("instagram", record.account_id).secrets["access_token"]
        try:
            grant = refresh_long_lived(graph_instagram, token, now)
        except (ConnectError, httpx.HTTPError) as error:
            problem = (f"{error}; reconnect the account: tidemark connect instagram "
                       f"--account-id {record.account_id}")
            store.mark_dead("instagram", record.account_id, problem)
            outcomes[record.account_id] = f"dead: {problem}"
            continue
        store.put("instagram", record.account_id, grant.secrets, source=record.source,
                  access_expires_at=grant.access_expires_at, refresh_expires_at=grant.refresh_expires_at)
        outcomes[record.account_id] = f"refreshed, valid until {grant.access_expires_at:%Y-%m-%d}"
        log(f"instagram account {record.account_id}: {outcomes[record.account_id]}")
    return outcomes
