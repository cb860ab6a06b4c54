"""The GX suite of `raw.community_events`: one SQL condition per rule, true for the offending rows.

The batch exposes `message_id as raw_id`, so the rules read like the social suites' and GX's
UnexpectedRowsExpectation counts them the same way (expectations/rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import great_expectations as gx

from expectations.rules import Rule
from ingestion.community.events import MAX_AGE, TRACK_EVENTS, TYPES

TABLE = "community_events"
CHECK_NAME = "gx_community_events"
# A client clock may run ahead of the collector's: up to this much an event keeps its own timestamp
# (the simulator's clock_skew fault shifts clocks by up to 30 minutes); beyond it the day is not trusted.
CLOCK_SKEW_TOLERANCE = timedelta(hours=1)
UNKNOWN_NAMES_RULE = "track event names are in the contract (unknown names load and warn)"


def _listed(values) -> str:
    return ", ".join(f"'{value}'" for value in sorted(values))


def _interval(delta: timedelta) -> str:
    return f"interval '{int(delta.total_seconds())} seconds'"


RULES = (
    Rule("message_id is present", "message_id is null or message_id = ''"),
    Rule("message_id is unique (one row per event)", "deliveries > 1"),
    Rule("type is track, page or identify", f"type is null or type not in ({_listed(TYPES)})"),
    Rule("user_id or anonymous_id is present (every event has an actor)", "user_id is null and anonymous_id is null"),
    Rule(f"timestamp is at most {MAX_AGE.days} days before now (not in the far past)",
         f"event_at < now() - {_interval(MAX_AGE)}"),
    Rule(f"timestamp is at most {int(CLOCK_SKEW_TOLERANCE.total_seconds() // 60)} minutes (clock-skew tolerance) "
         "ahead of its receipt and of now",
         f"event_at > least(coalesce(received_at, loaded_at), now()) + {_interval(CLOCK_SKEW_TOLERANCE)}"),
    Rule(UNKNOWN_NAMES_RULE, f"type = 'track' and (event is null or event not in ({_listed(TRACK_EVENTS)}))",
         severity="warning"),
)


@dataclass(frozen=True)
class EventSuite:
    """What the runner needs (the shape of expectations.rules.TableSuite, keyed by message_id)."""

    table: str = TABLE
    name: str = CHECK_NAME
    all_rules: tuple[Rule, ...] = RULES

    def query(self, watermark_us: int) -> str:
        """Rows loaded after the watermark (microseconds since the epoch of `loaded_at`)."""
        return (f"select events.message_id as raw_id, events.message_id, events.type, events.event, events.user_id, "
                f"events.anonymous_id, events.event_at, events.received_at, events.loaded_at, "
                f"(select count(*) from raw.{TABLE} as other where other.message_id = events.message_id) as deliveries "
                f"from raw.{TABLE} as events "
                f"where events.loaded_at > timestamptz 'epoch' + {int(watermark_us)} * interval '1 microsecond'")

    def suite(self) -> gx.ExpectationSuite:
        return gx.ExpectationSuite(name=f"raw.{TABLE}", expectations=[r.expectation() for r in self.all_rules])


def build() -> EventSuite:
    return EventSuite()
