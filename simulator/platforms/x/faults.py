"""X-only fault keys, registered through `simulator.faults.register_mutator` (no shared edit).

  x_field_auth_errors: true | N   owner-only metrics of the first N posts of every timeline page
                                  (all with true) are withheld and reported in `errors[]` as
                                  "Field Authorization Error" — the 200 partial success.
  x_rejected_fields: [name, ...]  tweet.fields/user.fields/media.fields values the API refuses
                                  with 400 invalid-request (a field retired by the platform);
                                  read by the handlers, the mutator itself changes nothing.
The generic keys apply too: quota_exceeded_after → 429 usage-capped, status_429_first → 429
with x-rate-limit-* headers, status_500_first → 503, expire_token_after / invalid_token → 401.
"""

from __future__ import annotations

from typing import Any

from simulator.faults import FaultState, register_mutator
from simulator.platforms.x.api import field_error

OWNER_FIELDS = ("non_public_metrics", "organic_metrics")


@register_mutator("x_rejected_fields")
def _rejected_fields(platform: str, endpoint: str, body: Any, value: Any, state: FaultState) -> Any:
    return body


@register_mutator("x_field_auth_errors")
def _field_auth_errors(platform: str, endpoint: str, body: Any, value: Any, state: FaultState) -> Any:
    if platform != "x" or endpoint != "user_tweets" or not isinstance(body, dict) or not value:
        return body
    posts = body.get("data") or []
    count = len(posts) if value is True else int(value)
    errors = list(body.get("errors") or [])
    for post in posts[:count]:
        for field in OWNER_FIELDS:
            if post.pop(field, None) is not None:
                errors.append(field_error(post["id"], field))
    if errors:
        body["errors"] = errors
    return body
