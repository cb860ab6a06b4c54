"""Connecting an account: the OAuth authorization-code flow through a loopback redirect.

`tidemark connect <platform>` builds the platform's authorization URL (with PKCE, S256, where the
platform requires it: X, TikTok), listens on 127.0.0.1 for the one redirect that carries the code,
checks `state`, and hands the code to the platform's `exchange`; `discover` then lists the accounts
the token can read. Each platform declares its `OAuthApp` once, in `ingestion/<platform>/connect.py`.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

from core.platform import PlatformSettings
from core.settings import ConfigError


class ConnectError(RuntimeError):
    """The flow could not finish (consent denied, state mismatch, exchange refused, time-out)."""


@dataclass(frozen=True)
class Grant:
    """What the code exchange answered (user secrets only) and when it stops working."""

    secrets: dict[str, str]
    access_expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    subject: str | None = None  # the user id the platform named in the answer (X, TikTok open_id)


@dataclass(frozen=True)
class Found:
    """An account the grant can read, with the secrets that are its own (e.g. a Page token)."""

    account_id: str
    name: str
    secrets: dict[str, str]
    access_expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AppKeys:
    """The app's registration, from the environment (never stored): id, secret, their variables."""

    client_id: str
    client_secret: str | None
    env: dict[str, str]  # credential key → environment variable, written to tidemark.yaml


@dataclass(frozen=True)
class Exchange:
    code: str
    redirect_uri: str
    verifier: str | None
    app: AppKeys
    urls: Mapping[str, str]  # the platform's base URLs (settings; the simulator's in tests)
    limits: Mapping[str, object]  # the platform's other settings (API versions)
    now: datetime


@dataclass(frozen=True)
class OAuthApp:
    platform: str
    scopes: tuple[str, ...]
    app_env: dict[str, str]  # credential key → default environment variable (client id first)
    exchange: Callable[[Exchange], Grant]
    discover: Callable[[Grant, Exchange], list[Found]]
    pkce: bool = False
    client_id_param: str = "client_id"
    scope_separator: str = " "
    authorize_params: dict[str, str] = field(default_factory=dict)
    optional_env: tuple[str, ...] = ()  # app keys that may be unset (X public clients have no secret)

    def app_keys(self, env: Mapping[str, str]) -> AppKeys:
        """The app's id and secret (the first two `app_env` keys); every variable is checked, also
        those only the runs read (X's app bearer), so a connect never ends in a run that cannot start."""
        names = dict(self.app_env)
        missing = [var for key, var in names.items() if not env.get(var) and key not in self.optional_env]
        if missing:
            raise ConfigError(f"connect {self.platform}: set {', '.join(missing)} (the app's registration; see "
                              f"docs/platforms/{self.platform}.md)")
        id_key, secret_key = list(names)[:2]
        return AppKeys(env[names[id_key]], env.get(names[secret_key]), names)

    def authorization_url(self, base: str, app: AppKeys, redirect_uri: str, state: str,
                          challenge: str | None, login_hint: str | None = None) -> str:
        query = {"response_type": "code", self.client_id_param: app.client_id, "redirect_uri": redirect_uri,
                 "scope": self.scope_separator.join(self.scopes), "state": state, **self.authorize_params}
        if challenge:
            query.update(code_challenge=challenge, code_challenge_method="S256")
        if login_hint:
            query["login_hint"] = login_hint
        return f"{base}?{urlencode(query)}"


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class LoopbackListener:
    """Serves 127.0.0.1:<port>/callback until one redirect with `code` or `error` arrives."""

    def __init__(self, port: int = 0):
        listener = self
        self.query: dict[str, str] | None = None
        self._done = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 — http.server's name
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path != "/callback" or not ({"code", "error"} & set(query)):
                    self.send_error(404)
                    return
                listener.query = query
                body = (b"Tidemark: the account is authorised, you can close this window."
                        if "code" in query else b"Tidemark: the authorisation was not granted.")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)
                listener._done.set()

            def log_message(self, *args):  # the query carries the code: never print it
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/callback"

    def wait(self, timeout_s: float) -> dict[str, str]:
        try:
            if not self._done.wait(timeout_s):
                raise ConnectError(f"no authorisation arrived within {timeout_s:.0f} s; run the command again")
            assert self.query is not None
            return self.query
        finally:
            self._server.shutdown()
            self._server.server_close()


def authorise(app: OAuthApp, settings: PlatformSettings, keys: AppKeys, now: datetime, *,
              open_url: Callable[[str], None], port: int = 0, timeout_s: float = 300,
              login_hint: str | None = None) -> tuple[Grant, Exchange]:
    """The whole user-facing part: URL, consent, redirect, state check, code exchange."""
    listener = LoopbackListener(port)
    state = secrets.token_urlsafe(24)
    verifier, challenge = pkce_pair() if app.pkce else (None, None)
    open_url(app.authorization_url(settings.base_urls["authorize"], keys, listener.redirect_uri, state, challenge,
                                   login_hint))
    query = listener.wait(timeout_s)
    if "error" in query:
        raise ConnectError(f"{app.platform} did not grant access: {query['error']} "
                           f"({query.get('error_description', 'no description')})")
    if not secrets.compare_digest(query.get("state", ""), state):
        raise ConnectError("the redirect's state does not match this request (a stale or forged redirect); "
                           "run the command again")
    exchange = Exchange(query["code"], listener.redirect_uri, verifier, keys, settings.base_urls, settings.limits, now)
    return app.exchange(exchange), exchange
