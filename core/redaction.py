"""Keep credentials out of logs, exceptions and the warehouse.

Platform APIs put tokens in places that end up printed: Meta and YouTube take
them as query parameters (so every URL in a log line is dangerous), TikTok and
LinkedIn as headers, OAuth refresh answers in JSON bodies, and the warehouse
DSN in connection strings. Two defences are combined: literal secrets that the
settings layer registers with `add_secret`, and patterns for the usual shapes,
which also catch tokens nobody registered (e.g. one just refreshed).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_SECRET_LENGTH = 4

SECRET_PARAM_NAMES: frozenset[str] = frozenset(
    {
        "access_token",
        "token",
        "key",
        "api_key",
        "client_secret",
        "refresh_token",
        "code",
        "password",
        "appsecret_proof",
        "fb_exchange_token",
        "input_token",
        "id_token",
        "client_assertion",
    }
)
SECRET_HEADER_NAMES: frozenset[str] = frozenset(
    {"authorization", "proxy-authorization", "access-token", "cookie", "set-cookie", "x-api-key"}
)


def _normalise(name: str) -> str:
    """Compare names case-insensitively and treat '-' and '_' alike."""
    return name.strip().lower().replace("-", "_")


def _alternation(names: Iterable[str]) -> str:
    """Regex alternation, longest first so `api_key` wins over `key`."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


class Redactor:
    """Masks registered secrets and secret-looking fragments in text and mappings."""

    def __init__(self, extra_names: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        extra = {n.lower() for n in extra_names}
        self._param_names = SECRET_PARAM_NAMES | extra
        self._header_names = SECRET_HEADER_NAMES | extra
        self._secret_keys = {_normalise(n) for n in self._param_names | self._header_names}
        self._patterns = self._compile()

    def _compile(self) -> list[tuple[re.Pattern[str], str]]:
        params = _alternation(self._param_names)
        headers = _alternation(self._header_names | {n.replace("_", "-") for n in self._header_names})
        json_keys = _alternation(self._param_names | self._header_names)
        return [
            # "access_token": "abc"  /  'authorization': 'Bearer abc'
            (
                re.compile(rf"""(["'])({json_keys})\1(\s*:\s*)(["'])(?:\\.|(?!\4).)*\4""", re.I),
                r"\1\2\1\3\4***\4",
            ),
            # Cookie: a=b; c=d   (the whole rest of the line is secret)
            (re.compile(r"\b((?:set-)?cookie\s*:\s*)[^\r\n]+", re.I), r"\1***"),
            # Authorization: Bearer abc / Access-Token: abc
            (
                re.compile(rf"\b({headers})(\s*:\s*)((?:bearer|basic|token|oauth)\s+)?[^\s,;'\"]+", re.I),
                r"\1\2\3***",
            ),
            # bare "Bearer abc" anywhere
            (re.compile(r"\b(bearer\s+)[A-Za-z0-9\-._~+/]+=*", re.I), r"\1***"),
            # ?access_token=abc&key=... (query strings and form bodies)
            (re.compile(rf"(^|[?&;\s,(\[{{])({params})=[^&\s#\"',;)\]}}]*", re.I), r"\1\2=***"),
            # scheme://user:password@host
            (re.compile(r"\b([a-z][a-z0-9+.\-]*://[^:/\s@]*:)[^@\s/?#]+@", re.I), r"\1***@"),
        ]

    def add_secret(self, value: str | None) -> None:
        """Register a literal secret (and its URL-encoded forms); short values are ignored
        because masking e.g. "ab" everywhere would shred ordinary text."""
        if not value or len(value) < MIN_SECRET_LENGTH:
            return
        with self._lock:
            self._secrets.update({value, quote(value, safe=""), quote_plus(value, safe="")})

    def is_secret_name(self, name: str) -> bool:
        """True if a parameter/header/key of this name carries a credential."""
        return _normalise(name) in self._secret_keys

    def redact(self, text: Any) -> str:
        """Return `text` (converted to str) with secrets replaced by `***`."""
        result = text if isinstance(text, str) else str(text)
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            result = result.replace(secret, MASK)
        for pattern, replacement in self._patterns:
            result = pattern.sub(replacement, result)
        return result

    def redact_params(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Copy of request parameters safe to store: secret-named values become `***`,
        other string values are still scrubbed (a `next` URL may embed a token)."""
        return {key: self._redact_value(key, value) for key, value in (params or {}).items()}

    def redact_headers(self, headers: Mapping[str, Any] | None) -> dict[str, Any]:
        """Copy of HTTP headers with credentials masked (authorization, cookies, API keys)."""
        return self.redact_params(dict(headers.items()) if headers is not None else None)

    def _redact_value(self, key: str, value: Any) -> Any:
        if self.is_secret_name(str(key)):
            return MASK
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, Mapping):
            return self.redact_params(value)
        if isinstance(value, list | tuple):
            return type(value)(self.redact(v) if isinstance(v, str) else v for v in value)
        return value


class RedactingFilter(logging.Filter):
    """Renders each record (`msg % args`) and replaces it with a redacted string.

    Attach it to *handlers*: a filter on a logger does not see records
    propagated from its child loggers. Tracebacks are redacted too, because
    httpx exception messages contain the full request URL.
    """

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self.redactor = redactor or default_redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            rendered = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            rendered = f"{record.msg} {record.args!r}"
        record.msg = self.redactor.redact(rendered)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor.redact(record.stack_info)
        return True


def install_redacting_filter(
    target: logging.Logger | logging.Handler, redactor: Redactor | None = None
) -> RedactingFilter:
    """Attach a RedactingFilter to a logger or handler once; returns the filter in place."""
    for existing in target.filters:
        if isinstance(existing, RedactingFilter):
            return existing
    redacting = RedactingFilter(redactor)
    target.addFilter(redacting)
    return redacting


default_redactor = Redactor()
