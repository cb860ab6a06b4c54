"""Rest.li 2.0 query values: `List(…)` of URL-encoded URNs and `(timeRange:(…),…)` records.

LinkedIn parses the structure of these values from the raw query string: the parentheses,
commas and colons must arrive unencoded while the URNs inside stay percent-encoded. httpx
encodes every parameter value, so `RestliTransport` restores the structural characters of
Rest.li values just before sending (the stored request params keep the readable form).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, unquote_plus

import httpx

STRUCTURAL_SAFE = "(),:%"


def urn_list(urns: Iterable[str]) -> str:
    return "List(" + ",".join(quote(urn, safe="") for urn in urns) + ")"


def epoch_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def day_of(ms: int) -> date:
    return datetime.fromtimestamp(int(ms) / 1000, UTC).date()


def day_intervals(first: date, last: date) -> str:
    """Daily buckets from `first` to `last` inclusive (the API's end bound is exclusive)."""
    return (f"(timeRange:(start:{epoch_ms(first)},end:{epoch_ms(last + timedelta(days=1))}),"
            "timeGranularityType:DAY)")


def restli_query(raw: bytes) -> bytes:
    """Re-encode a query string so Rest.li values keep their structure (see module doc)."""
    pairs = []
    for pair in raw.decode("ascii").split("&"):
        name, sep, value = pair.partition("=")
        decoded = unquote_plus(value)
        if decoded.startswith(("List(", "(")):
            value = quote(decoded, safe=STRUCTURAL_SAFE)
        pairs.append(name + sep + value)
    return "&".join(pairs).encode("ascii")


class RestliTransport(httpx.BaseTransport):
    """Wraps the real transport; only the query string of a request is rewritten."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.query:
            request.url = request.url.copy_with(query=restli_query(request.url.query))
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
