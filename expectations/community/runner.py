"""Validate the community events loaded since the last validation (GX 1.x, the shared adapter).

1. The batch is every row with `loaded_at` after the watermark (`ops.validation_watermarks`,
   microseconds: the table is keyed by message_id, not by a raw_id sequence).
2. Rows failing an error rule are held in `ops.quarantine` (raw_id NULL, record_key = message_id,
   the row as payload, the reasons); staging leaves them out until `tidemark quarantine release`.
   A warning rule (unknown event names) holds nothing and names what it saw.
3. The outcome goes to `ops.check_results`; the watermark moves past the batch. All in one commit.
"""

from __future__ import annotations

from collections import defaultdict

from expectations.community.events import UNKNOWN_NAMES_RULE, EventSuite, build
from expectations.runner import ExpectationOutcome, ValidationOutcome, bad_ids, record_suite, run_gx

MAX_EXAMPLES = 5
HOLD = """
    insert into ops.quarantine (raw_table, platform, account_id, record_key, payload, run_id, check_name, reason)
    select distinct on (events.message_id) %(table)s, 'community', coalesce(events.properties ->> 'community_id', '-'), events.message_id,
           to_jsonb(events) - 'loaded_at', %(run_id)s, %(check)s, bad.reason
    from unnest(%(ids)s::text[], %(reasons)s::text[]) as bad (message_id, reason)
    inner join raw.community_events as events on events.message_id = bad.message_id
    where not exists (
        select 1 from ops.quarantine as held
        where held.raw_table = %(table)s and held.check_name = %(check)s and held.record_key = events.message_id
            and held.released_at is null
    )
"""


def _watermark(conn, suite: EventSuite) -> tuple[int, int, int]:
    """(watermark, rows after it, the new watermark)."""
    with conn.cursor() as cur:
        cur.execute("select last_raw_id from ops.validation_watermarks where raw_table = %s and check_name = %s",
                    (suite.table, suite.name))
        row = cur.fetchone()
        watermark = row[0] if row else 0
        cur.execute(f"select count(*), coalesce(floor(extract(epoch from max(loaded_at)) * 1000000)::bigint, %s) "
                    f"from ({suite.query(watermark)}) as batch", (watermark,))
        rows, new_watermark = cur.fetchone()
    conn.commit()
    return watermark, rows, new_watermark


def unknown_names(conn, ids: list[str]) -> dict[str, int]:
    """Event name -> count among the given events (what the unknown-names warning reports)."""
    with conn.cursor() as cur:
        cur.execute("select coalesce(event, '(none)'), count(*) from raw.community_events "
                    "where message_id = any(%s) group by 1 order by 2 desc, 1", (ids,))
        names = dict(cur.fetchall())
    conn.commit()
    return names


def validate_events(url: str, conn, run_id: str, asset_key: str = "raw/community_events",
                    suite: EventSuite | None = None) -> tuple[ValidationOutcome, dict[str, int]]:
    """The outcome, and the unknown event names seen (name -> events)."""
    suite = suite or build()
    watermark, rows, new_watermark = _watermark(conn, suite)
    outcome = ValidationOutcome(suite.name, suite.table, rows)
    reasons: dict[str, list[str]] = defaultdict(list)
    names: dict[str, int] = {}
    if rows:
        by_description = {rule.description: rule for rule in suite.all_rules}
        for result in run_gx(url, suite, watermark).results:
            rule = by_description[result.expectation_config.description]
            ids = [] if result.success else bad_ids(conn, suite, watermark, rule)
            outcome.outcomes.append(ExpectationOutcome(rule.description, rule.severity, bool(result.success), len(ids),
                                                       ids[:MAX_EXAMPLES]))
            if rule.severity == "error":
                for message_id in ids:
                    reasons[message_id].append(rule.description)
            elif rule.description == UNKNOWN_NAMES_RULE and ids:
                names = unknown_names(conn, ids)
    with conn, conn.cursor() as cur:
        if reasons:
            cur.execute(HOLD, {"table": suite.table, "run_id": run_id, "check": suite.name, "ids": list(reasons),
                               "reasons": ["; ".join(r) for r in reasons.values()]})
            outcome.quarantined = len(reasons)
        record_suite(cur, run_id, suite.name, suite.table, asset_key, outcome, new_watermark,
                     {"rows_checked": rows, "unknown_event_names": names})
    return outcome, names
