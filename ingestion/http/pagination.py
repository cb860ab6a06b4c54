"""Pagination strategies: how each platform says "there is another page".

Each strategy turns the previous request plus its answer into the next
request, or None when done. A paginator is stateful for the duration of one
walk (it remembers cursors to catch servers that hand out the same cursor
forever); `first_request` resets that state, so reuse is fine but concurrent
walks need separate instances.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from .errors import PaginationError

DEFAULT_MAX_PAGES = 10_000


@dataclass(frozen=True)
class RequestSpec:
    """One request to send. `url` is a path relative to the client's base URL or a full URL.

    Credentials never belong here: the client's auth hook adds them per attempt,
    so a spec (and its params) can be stored as-is after `Redactor.redact_params`.
    """

    method: str
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None


def dig(body: Any, path: str) -> Any:
    """Value at a dotted path ("meta.next_token") or None if any step is missing."""
    current = body
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


class Paginator:
    """Base class holding the loop guards shared by all strategies.

    `platform` only labels PaginationError; ApiClient fills it in when left None.
    """

    def __init__(self, *, max_pages: int = DEFAULT_MAX_PAGES, platform: str | None = None) -> None:
        self.max_pages = max_pages
        self.platform = platform
        self._seen: set[str] = set()
        self._pages = 0

    def first_request(self, spec: RequestSpec) -> RequestSpec:
        """Reset the walk and return the request for page 1."""
        self._seen = set()
        self._pages = 1
        cursor = self._cursor_of(spec)
        if cursor is not None:
            self._seen.add(repr(cursor))
        return spec

    def _cursor_of(self, spec: RequestSpec) -> Any:
        """Cursor carried by a request, if the strategy can tell (seeds the repeat guard)."""
        return None

    def next_request(
        self, prev: RequestSpec, body: Any, headers: Mapping[str, str] | None = None
    ) -> RequestSpec | None:
        raise NotImplementedError

    def _advance(self, cursor: Any) -> None:
        """Record that page N+1 is about to be requested with `cursor`; enforce the guards."""
        key = repr(cursor)
        if key in self._seen:
            raise PaginationError(
                self.platform or "http",
                f"{type(self).__name__}: cursor repeated after page {self._pages}; server loop",
            )
        if self._pages >= self.max_pages:
            raise PaginationError(
                self.platform or "http", f"{type(self).__name__}: more than max_pages={self.max_pages} pages"
            )
        self._seen.add(key)
        self._pages += 1


class _TokenParamPaginator(Paginator):
    """Cursor found at a dotted path in the body, sent back as a query parameter."""

    token_path = ""
    token_param = ""

    def __init__(self, *, token_path: str | None = None, token_param: str | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.token_path = token_path or self.token_path
        self.token_param = token_param or self.token_param

    def _cursor_of(self, spec: RequestSpec) -> Any:
        return spec.params.get(self.token_param)

    def next_request(
        self, prev: RequestSpec, body: Any, headers: Mapping[str, str] | None = None
    ) -> RequestSpec | None:
        token = dig(body, self.token_path)
        if not token:
            return None
        self._advance(token)
        return replace(prev, params={**prev.params, self.token_param: token})


class PageTokenPaginator(_TokenParamPaginator):
    """YouTube: `nextPageToken` in the body becomes the `pageToken` parameter."""

    token_path = "nextPageToken"
    token_param = "pageToken"


class NextTokenPaginator(_TokenParamPaginator):
    """X v2: `meta.next_token` becomes `pagination_token` (search endpoints: pass `token_param="next_token"`)."""

    token_path = "meta.next_token"
    token_param = "pagination_token"


class NextUrlPaginator(Paginator):
    """Meta Graph: follow `paging.next`, a full URL that already carries every parameter.

    The URL is split into base URL + params, and auth parameters (which Graph
    copies into `paging.next`) are dropped so they never reach stored specs;
    the client's auth hook adds fresh ones on each attempt.
    """

    def __init__(
        self,
        *,
        next_path: str = "paging.next",
        strip_params: tuple[str, ...] = ("access_token", "appsecret_proof"),
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.next_path = next_path
        self.strip_params = {p.lower() for p in strip_params}

    def next_request(
        self, prev: RequestSpec, body: Any, headers: Mapping[str, str] | None = None
    ) -> RequestSpec | None:
        next_url = dig(body, self.next_path)
        if not next_url:
            return None
        url, params = self._split(str(next_url))
        self._advance((url, sorted(params.items(), key=lambda kv: kv[0])))
        return replace(prev, method="GET", url=url, params=params, json=None)

    def _split(self, next_url: str) -> tuple[str, dict[str, Any]]:
        parts = urlsplit(next_url)
        params: dict[str, Any] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name.lower() in self.strip_params:
                continue
            if name in params:  # repeated names stay repeated
                existing = params[name]
                params[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                params[name] = value
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), params


class OffsetPaginator(Paginator):
    """LinkedIn REST: `start`/`count` parameters; stop on a short page or at `paging.total`."""

    def __init__(
        self,
        *,
        page_size: int = 100,
        elements_key: str = "elements",
        start_param: str = "start",
        count_param: str = "count",
        total_path: str = "paging.total",
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.page_size = page_size
        self.elements_key = elements_key
        self.start_param = start_param
        self.count_param = count_param
        self.total_path = total_path

    def first_request(self, spec: RequestSpec) -> RequestSpec:
        spec = super().first_request(spec)
        params = {self.start_param: 0, self.count_param: self.page_size, **spec.params}
        return replace(spec, params=params)

    def next_request(
        self, prev: RequestSpec, body: Any, headers: Mapping[str, str] | None = None
    ) -> RequestSpec | None:
        elements = dig(body, self.elements_key) or []
        count = int(prev.params[self.count_param])
        if len(elements) < count or not elements:
            return None
        start = int(prev.params[self.start_param]) + len(elements)
        total = dig(body, self.total_path)
        if isinstance(total, int) and start >= total:
            return None
        self._advance(start)
        return replace(prev, params={**prev.params, self.start_param: start})


class BodyCursorPaginator(Paginator):
    """TikTok: POST with a JSON `cursor`; continue while `data.has_more`, next cursor at `data.cursor`."""

    def __init__(
        self,
        *,
        has_more_path: str = "data.has_more",
        cursor_path: str = "data.cursor",
        cursor_field: str = "cursor",
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.has_more_path = has_more_path
        self.cursor_path = cursor_path
        self.cursor_field = cursor_field

    def _cursor_of(self, spec: RequestSpec) -> Any:
        return (spec.json or {}).get(self.cursor_field)

    def next_request(
        self, prev: RequestSpec, body: Any, headers: Mapping[str, str] | None = None
    ) -> RequestSpec | None:
        if not dig(body, self.has_more_path):
            return None
        cursor = dig(body, self.cursor_path)
        if cursor is None:
            raise PaginationError(
                self.platform or "http", f"{type(self).__name__}: has_more is true but no cursor"
            )
        self._advance(cursor)
        return replace(prev, json={**(prev.json or {}), self.cursor_field: cursor})
