"""Graph API calls for one Page, returning parsed JSON; insight calls survive bad metrics.

An insights call that Graph refuses with `(#100)` naming a metric is repeated without it (the
registry remembers the rejection); when the message names none, each metric is asked alone so
one bad name never hides the others. `(#10) not enough viewers` means no data (None).
"""

from __future__ import annotations

from collections.abc import Iterator

from core.redaction import Redactor
from ingestion.facebook.errors import NotEnoughDataError
from ingestion.facebook.metrics import MetricRegistry
from ingestion.http import ApiClient, InvalidRequestError, NextUrlPaginator, Page, RequestSpec

POST_FIELDS = ("id,message,created_time,permalink_url,status_type,shares,"
               "reactions.limit(0).summary(total_count),comments.limit(0).summary(total_count)")
PAGE_FIELDS = "id,name,username,category,link,followers_count,fan_count"
VIDEO_FIELDS = "id,title,description,created_time,updated_time,length,permalink_url,post_id"


class FacebookClient:
    def __init__(self, api: ApiClient, registry: MetricRegistry, redactor: Redactor, *, page_size: int = 100,
                 config: dict | None = None):
        self.api = api
        self.registry = registry
        self.redactor = redactor
        self.page_size = page_size
        self.config = dict(config or {})  # the platform limits: metric lists, lookbacks
        self.calls = 0

    def safe(self, params: dict) -> dict:
        """Request parameters as they may be stored (secrets masked)."""
        return self.redactor.redact_params(params)

    def close(self) -> None:
        self.api.close()

    def _get(self, path: str, params: dict) -> dict:
        self.calls += 1
        return self.api.get_json(path, params=params) or {}

    def page(self, page_id: str) -> dict:
        return self._get(page_id, {"fields": PAGE_FIELDS})

    def edge(self, page_id: str, edge: str, fields: str, **params: str | int) -> Iterator[Page]:
        """All pages of a Page edge (`posts`, `video_reels`, `videos`), following `paging.next`."""
        spec = RequestSpec("GET", f"{page_id}/{edge}", {"fields": fields, "limit": self.page_size, **params})
        for page in self.api.iter_pages(NextUrlPaginator(), spec):
            self.calls += 1
            yield page

    def insights(self, path: str, metrics: list[str], media: str | None = None, **params: str) -> list[dict] | None:
        """Insight entries for `metrics` at `path` (`<id>/insights`, `<id>/video_insights`)."""
        remaining = list(metrics)
        while remaining:
            try:
                return self._get(path, {**params, "metric": ",".join(remaining)}).get("data") or []
            except NotEnoughDataError:
                return None
            except InvalidRequestError as error:
                if error.code != "100":
                    raise
                bad = error.invalid_metric if error.invalid_metric in remaining else None
                if bad is None and len(remaining) > 1:
                    return self._one_by_one(path, remaining, media, params)
                self.registry.reject(bad or remaining[0], error.message, media)
                remaining.remove(bad or remaining[0])
        return []

    def _one_by_one(self, path: str, metrics: list[str], media: str | None, params: dict) -> list[dict] | None:
        out: list[dict] = []
        for name in metrics:
            found = self.insights(path, [name], media, **params)
            out.extend(found or [])
        return out
