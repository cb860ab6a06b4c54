"""The GX suite of `raw.community_events` as a blocking Dagster asset check.

One place for the event rules, unknown event names included (a warning, not a block): the
check fails (ERROR) when an event was held by an error rule, warns when only warnings fired.
"""

import dagster as dg

from expectations.community.runner import validate_events
from orchestration.community.ingestion import EVENTS
from orchestration.resources import Tidemark


def _metadata(outcome) -> dict:
    failed = [o for o in outcome.outcomes if not o.success]
    table = ["| expectation | severity | events | example message_ids |", "|---|---|---|---|"]
    table += [f"| {o.name} | {o.severity} | {o.unexpected_count} | {', '.join(o.examples)} |" for o in failed]
    return {"rows_checked": outcome.rows_checked, "events_held": outcome.quarantined,
            "expectations": len(outcome.outcomes),
            "failed_expectations": dg.MetadataValue.md("\n".join(table)) if failed else "none"}


@dg.asset_check(asset=EVENTS, name="gx_community_events", blocking=True,
                description="Great Expectations suite raw.community_events (ids, types, timestamps, an actor per "
                            "event: offending events are held in ops.quarantine; unknown event names warn).")
def gx_community_events(context: dg.AssetCheckExecutionContext, tidemark: Tidemark) -> dg.AssetCheckResult:
    runtime = tidemark.runtime()
    with runtime.connect() as conn:
        outcome, names = validate_events(runtime.warehouse_url, conn, context.run.run_id, EVENTS.to_user_string())
    severity = dg.AssetCheckSeverity.ERROR if outcome.errors else dg.AssetCheckSeverity.WARN
    unknown = ", ".join(f"{name} ({count})" for name, count in names.items())
    return dg.AssetCheckResult(passed=not outcome.errors and not outcome.warnings, severity=severity,
                               description=f"unknown event names: {unknown}" if unknown else None,
                               metadata={**_metadata(outcome), "unknown_event_names": len(names)})
