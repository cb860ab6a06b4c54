"""A competitor Page's public fields: `GET /{page-id-or-username}?fields=id,name,username,followers_count,
fan_count` (Graph API, any Page token; Meta calls this Page Public Metadata Access).

Other Pages' posts need the Page Public Content Access feature (a separate App Review), so no post
is read: the benchmark's post numbers are NULL for Facebook competitors. A deleted or renamed Page
answers error 100 "Object with ID … does not exist" (subcode 33).
"""

from __future__ import annotations

from datetime import datetime

from ingestion.competitors import Snapshot, count, found, not_found
from ingestion.facebook.client import FacebookClient
from ingestion.http import InvalidRequestError, NotFoundError

PAGE_FIELDS = "id,name,username,followers_count,fan_count"


def fetch_competitor(client: FacebookClient, handle: str, now: datetime) -> Snapshot:
    try:
        page = client.api.get_json(handle, params={"fields": PAGE_FIELDS})
    except (InvalidRequestError, NotFoundError) as error:
        if str(error.code or "").split("/")[0] == "100" and "does not exist" in str(error):
            return not_found({"error": str(error)}, f"the Page {handle} does not exist any more (deleted or renamed?)")
        raise
    payload = {"page": page or {}}
    return found(payload, parse(payload))


def parse(payload: dict) -> dict:
    page = payload["page"]
    return {"account_id": page.get("id"), "name": page.get("name"),
            # followers_count is the Page's audience today; fan_count (likes) is kept in the payload
            "followers": count(page.get("followers_count")), "posts_total": None, "posts": None}
