"""The community event contract as data (mirrors /work/scratch/community_contract.md, issue 10).

Kept apart from the generator so tests, the truth and the fault injector agree on
one list of names: an event name outside `TRACK_EVENTS` is by definition an
"unknown event" (the fault of that name produces them; the truth ignores them).
"""

from __future__ import annotations

TYPES = ("track", "page", "identify")
TRACK_EVENTS = frozenset({
    "community_activity", "geo_access_attempt", "api_request", "system_metric", "error_log",
    "error_resolved", "follow", "unfollow", "recommendation_shown", "recommendation_clicked",
})
ACTIVITY_TYPES = ("view", "join", "leave", "post", "comment", "like", "share", "heartbeat")
METRIC_TYPES = ("cpu_usage", "memory_usage", "db_query_ms", "queue_depth")
ERROR_LEVELS = ("debug", "info", "warning", "error", "critical")
ENVELOPE_KEYS = ("message_id", "type", "event", "user_id", "anonymous_id", "timestamp", "sent_at",
                 "received_at", "context")
CONTEXT_KEYS = ("ip", "user_agent", "location", "timezone")
LOCATION_KEYS = ("country", "region", "city")
# required property keys per track event (optional ones, e.g. recommendation community_id, not listed)
PROPERTIES = {
    "community_activity": ("community_id", "activity_type", "metadata"),
    "geo_access_attempt": ("community_id", "location", "access_result", "is_traveler", "is_bypass"),
    "api_request": ("method", "path", "status", "response_time_ms"),
    "system_metric": ("metric_type", "value", "additional_data"),
    "error_log": ("error_id", "level", "category", "message", "stack_trace", "url", "method", "extra_data"),
    "error_resolved": ("error_id",),
    "follow": ("target_user_id",),
    "unfollow": ("target_user_id",),
    "recommendation_shown": ("item_id",),
    "recommendation_clicked": ("item_id",),
}
PAGE_PROPERTIES = ("path", "title", "community_id")
IDENTIFY_TRAITS = ("registration_country", "registration_city", "joined_at")
SESSION_GAP_S = 30 * 60     # 30 minutes of inactivity ends a session
PRESENCE_S = 300            # online while a heartbeat/activity was seen within 300 s
