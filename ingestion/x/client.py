"""X API v2 calls: user lookup and the user timeline, as plain methods.

The timeline reserves `max_results` posts from the monthly read budget per page (X bills every
post read; reserving the page size up front keeps the hard stop a stop, not an overdraft).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from core.redaction import Redactor
from ingestion.http import (
    ApiClient,
    AuthError,
    InvalidRequestError,
    NextTokenPaginator,
    NotFoundError,
    Page,
    RequestSpec,
)
from ingestion.x.auth import XAuth
from ingestion.x.metrics import Plan

USER_FIELDS = "public_metrics,created_at,description,username,name"


def x_time(moment: datetime) -> str:
    """RFC 3339 in whole seconds, as start_time/end_time want it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class XClient:
    def __init__(self, users: ApiClient, timeline: ApiClient, auth: XAuth, page_size: int, plan: Plan,
                 redactor: Redactor, token_client: ApiClient | None = None):
        self.plan = plan
        self.redactor = redactor
        self.token_client = token_client
        self.users = users
        self.timeline = timeline
        self.auth = auth
        self.page_size = page_size

    @property
    def user_context(self) -> bool:
        return self.auth.creds.user_context

    def close(self) -> None:
        self.users.close()
        self.timeline.close()
        if self.token_client is not None:
            self.token_client.close()

    def user(self, user_id: str) -> dict:
        try:
            body = self.users.get_json(f"users/{user_id}", params={"user.fields": USER_FIELDS})
        except AuthError as error:
            raise self.auth.named(error) from None
        if not body or "data" not in body:  # X answers an unknown user with 200 + errors[]
            detail = ((body or {}).get("errors") or [{}])[0].get("detail", "no data")
            raise NotFoundError("x", f"user {user_id}: {detail}")
        return body["data"]

    def timeline_pages(self, user_id: str, plan: Plan, recent: bool, start: datetime | None,
                       end: datetime | None, on_drop: Callable[[str], None]) -> Iterator[Page]:
        """All pages of one time slice; a refused field is dropped (plan updated) and the call retried."""
        while True:
            fields = plan.recent if recent else plan.older
            params = {**fields.params(), "max_results": self.page_size, "exclude": "retweets"}
            if start is not None:
                params["start_time"] = x_time(start)
            if end is not None:
                params["end_time"] = x_time(end)
            spec = RequestSpec("GET", f"users/{user_id}/tweets", params)
            yielded = False
            try:
                for page in self.timeline.iter_pages(NextTokenPaginator(), spec, cost=self.page_size):
                    yielded = True
                    yield page
                return
            except InvalidRequestError as error:
                name = error.invalid_metric
                if yielded or not name or name not in fields or name in ("created_at",):
                    raise
                on_drop(plan.drop_field(name))
            except AuthError as error:
                raise self.auth.named(error) from None
