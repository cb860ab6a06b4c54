"""Helpers for the OAuth flow tests: PKCE pairs, following the consent redirect by hand."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx

REDIRECT = "http://127.0.0.1:53682/callback"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def redirect_params(resp: httpx.Response, redirect_uri: str = REDIRECT) -> dict[str, str]:
    """The query of the 302 the consent answers (asserting it goes back to the loopback listener)."""
    assert resp.status_code == 302, resp.text
    location = resp.headers["location"]
    assert location.startswith(redirect_uri + ("&" if "?" in redirect_uri else "?")), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def authorize(http: httpx.Client, url: str, **params: str) -> dict[str, str]:
    params = {"response_type": "code", "redirect_uri": REDIRECT, "state": "st-" + secrets.token_hex(4), **params}
    got = redirect_params(http.get(url, params=params), params["redirect_uri"])
    assert got.get("state") == params["state"], got
    return got


def revoke(http: httpx.Client, base_url: str, platform: str, account_id: str) -> int:
    resp = http.post(f"{base_url}/_sim/revoke", json={"platform": platform, "account_id": account_id})
    assert resp.status_code == 200, resp.text
    return resp.json()["revoked"]


def advance(http: httpx.Client, base_url: str, seconds: float) -> None:
    assert http.post(f"{base_url}/_sim/clock", json={"advance_seconds": seconds}).status_code == 200
