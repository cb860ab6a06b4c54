"""Shared LinkedIn pieces: the Rest.li error body, auth, versions, Rest.li query values, faults.

LinkedIn answers errors with a flat body `{"status", "serviceErrorCode", "code", "message"}`
(the daily-limit 429 carries only `status` + `message`); connectors key off status + code +
message. Tokens: `sim-li-access:<organization id>` is accepted as issued, tokens from the
refresh endpoint are remembered in the token store, those of the code flow (one consent may
cover several organizations) in the grant store. Platform-specific fault keys (registered
with `simulator.faults.register_mutator`, so faults.py stays untouched) are read here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import unquote

from simulator.account import AccountWorld
from simulator.faults import Fault, register_mutator
from simulator.routing import Request, Response

PLATFORM = "linkedin"
STATIC_TOKEN_PREFIX = "sim-li-access:"
ORG_PREFIX = "urn:li:organization:"
SUPPORT_MONTHS = 12  # a LinkedIn-Version is served for at least 12 months, then HTTP 426
DAY_LIMIT_MESSAGE = "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."

# Fault keys of this platform: {"linkedin": {"linkedin_min_version": 202612,
#   "linkedin_access_denied": ["organizationalEntityFollowerStatistics"],
#   "linkedin_retired_metrics": ["TIME_WATCHED_FOR_VIDEO_VIEWS"]}}
FAULT_KEYS = ("linkedin_min_version", "linkedin_access_denied", "linkedin_retired_metrics")


def _passthrough(platform: str, endpoint: str, body: Any, value: Any, state: Any) -> Any:
    """These keys change the status of an answer (decided in the handlers), not its body."""
    return body


for _key in FAULT_KEYS:
    register_mutator(_key)(_passthrough)


def error(status: int, message: str, code: str | None = None, service_code: int | None = None,
          headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"status": status}
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    if code is not None:
        body["code"] = code
    body["message"] = message
    return Response(status, body, headers or {})


def render_fault(fault: Fault, endpoint: str) -> Response:
    if fault.kind == "quota":  # no reset header: the limit resets at midnight UTC
        return Response(429, {"message": DAY_LIMIT_MESSAGE, "status": 429})
    if fault.kind == "rate_limit":
        return error(429, "Too Many Requests", headers={"Retry-After": str(fault.retry_after or 1)})
    if fault.kind == "expired_token":
        return error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN", 65601)
    if fault.kind == "invalid_token":
        return error(401, "The token used in the request has been revoked by the user", "REVOKED_ACCESS_TOKEN", 65602)
    return error(500, "Internal Server Error")


def fault_value(req: Request, key: str) -> Any:
    config = req.state.faults.config.for_platform(PLATFORM)
    return None if config is None else config.data.get(key)


def organizations_of(req: Request) -> tuple[str, ...]:
    """Organization ids the bearer token may administer (a connect grant may cover several)."""
    token = req.bearer
    if token and token.startswith(STATIC_TOKEN_PREFIX):
        return (token[len(STATIC_TOKEN_PREFIX):],) if len(token) > len(STATIC_TOKEN_PREFIX) else ()
    owner = req.state.tokens.owner(PLATFORM, token)
    return (owner,) if owner is not None else req.state.grants.accounts(PLATFORM, token) or ()


def organization_of(req: Request) -> str | None:
    """Organization id the bearer token belongs to (the first granted; None when absent or unknown)."""
    orgs = organizations_of(req)
    return orgs[0] if orgs else None


def _months(version: int) -> int:
    return (version // 100) * 12 + version % 100 - 1


def check_version(req: Request) -> Response | None:
    """`LinkedIn-Version: YYYYMM` is mandatory; versions older than 12 months are sunset (426)."""
    raw = req.headers.get("linkedin-version", "")
    if not re.fullmatch(r"\d{6}", raw):
        return error(400, "A version must be present. Please specify a version by adding the "
                          "LinkedIn-Version header.", "VERSION_MISSING")
    version, now = int(raw), req.state.world.now
    oldest = _months(now.year * 100 + now.month) - SUPPORT_MONTHS
    minimum = fault_value(req, "linkedin_min_version")
    if _months(version) < oldest or (minimum is not None and version < int(minimum)):
        return error(426, f"Requested version {raw} is not active", "NONEXISTENT_VERSION")
    return None


def authorise(req: Request, org_urn: str | None) -> tuple[AccountWorld, str] | Response:
    """Version, token and admin rights on `org_urn`: the account world, or the error answer."""
    problem = check_version(req)
    if problem is not None:
        return problem
    orgs = organizations_of(req)
    if not orgs:
        return error(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600)
    denied = fault_value(req, "linkedin_access_denied") or []
    owner = next((o for o in orgs if org_urn == ORG_PREFIX + o), None)
    if owner is None or req.endpoint in denied:
        return error(403, f"Not enough permissions to access: {req.endpoint}.GET.{req.headers.get('linkedin-version')}",
                     "ACCESS_DENIED", 100)
    return req.state.world.account(PLATFORM, owner), owner


def account_of(req: Request, org_id: str) -> AccountWorld:
    return req.state.world.account(PLATFORM, org_id)


def restli_list(value: str | None) -> list[str]:
    """`List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)` (already URL-decoded once) -> URNs."""
    if not value:
        return []
    match = re.fullmatch(r"List\((.*)\)", value.strip())
    if match is None:
        return []
    return [unquote(item) for item in match.group(1).split(",") if item]


def time_interval(value: str | None) -> tuple[date, date, str] | Response | None:
    """`(timeRange:(start:ms,end:ms),timeGranularityType:DAY)` -> (first day, day after last, granularity)."""
    if not value:
        return None
    start = re.search(r"start:(\d+)", value)
    end = re.search(r"end:(\d+)", value)
    granularity = re.search(r"timeGranularityType:(\w+)", value)
    if start is None or end is None:
        return error(400, f"Invalid param. Please see errorDetails for more information: timeIntervals={value}",
                     "ILLEGAL_ARGUMENT")
    first = datetime.fromtimestamp(int(start.group(1)) / 1000, UTC).date()
    after = datetime.fromtimestamp(int(end.group(1)) / 1000, UTC).date()
    return first, after, granularity.group(1) if granularity else "DAY"


def epoch_ms(moment: datetime | date) -> int:
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def paging(start: int, count: int, total: int, links: list[dict] | None = None) -> dict[str, Any]:
    return {"start": start, "count": count, "links": links or [], "total": total}
