"""Community event files → `raw.community_events` (+ `raw.community_reference`).

Files are the unit of work, not days: the manifest (`ops.community_files`) reads each file once
and resumes a partly read one, so the asset is not partitioned — a late event lands with the file
that carries it and dbt folds it into its day. A simulated community (the demo) first writes its
event files for the `community.history_days` whole days before today into the landing folder.
"""

from datetime import timedelta

import dagster as dg

from ingestion.community import LocalFolder, ingest_landing, load_reference
from orchestration.resources import Tidemark

EVENTS, REFERENCE = dg.AssetKey(["raw", "community_events"]), dg.AssetKey(["raw", "community_reference"])


@dg.multi_asset(specs=[dg.AssetSpec(EVENTS, group_name="community_raw",
                                    description="One row per first-party event (deduplicated by message_id; "
                                                "IP hashed or truncated, user agent reduced)."),
                       dg.AssetSpec(REFERENCE, group_name="community_raw",
                                    description="Communities and their geo rules (reference/communities.json).")],
                name="community_events")
def community_events(context: dg.AssetExecutionContext, tidemark: Tidemark):
    runtime = tidemark.runtime()
    if runtime.workspace.community is None:
        context.log.info("this workspace has no community section: nothing to ingest")
        yield from (dg.MaterializeResult(asset_key=key, metadata={"files_read": 0}) for key in (EVENTS, REFERENCE))
        return
    landing = runtime.community_landing
    settings = runtime.settings
    if runtime.workspace.community_simulated():
        # Whole days up to today's midnight; the first run fixes where the history starts, a later
        # day adds only its new files (a written file never changes; the manifest skips it).
        end = settings.now().replace(hour=0, minute=0, second=0, microsecond=0)
        start = end - timedelta(days=runtime.workspace.community.history_days)
        runtime.community_simulator(landing, start, end)
        if settings.ip_mode == "hash" and not (settings.ip_hash_key or settings.secret_key):
            # Synthetic people: truncation needs no key (a real community must set one, or truncate).
            settings = settings.model_copy(update={"ip_mode": "truncate"})
    runtime.prepare_warehouse([])
    source = LocalFolder(landing)
    with runtime.connect() as conn:
        communities = load_reference(conn, source)
        result = ingest_landing(conn, source, context.run.run_id, settings,
                                progress=lambda p: context.log.info(
                                    f"{p.path}: {p.lines_read} lines, {p.rows_loaded} new, {p.duplicates} duplicate, "
                                    f"{p.rejected} rejected{' (done)' if p.done else ''}"))
    for item in result.changed:
        context.log.warning(f"{item.path} changed after it was read; it is not read again (ops.community_files)")
    yield dg.MaterializeResult(asset_key=EVENTS, metadata={
        "files_read": result.files_read, "rows_loaded": result.rows_loaded, "duplicates": result.duplicates,
        "rejected (ops.quarantine)": result.rejected, "landing": str(landing)})
    yield dg.MaterializeResult(asset_key=REFERENCE, metadata={"communities": communities})


def event_checks() -> list[dg.AssetChecksDefinition]:
    # Unknown event names: a warning rule of the GX suite (orchestration/community/checks.py).
    @dg.asset_check(asset=EVENTS, name="community_rejected_lines", blocking=False,
                    description="Malformed event lines are held in ops.quarantine with file and line; warns when any is held.")
    def rejected_lines(tidemark: Tidemark) -> dg.AssetCheckResult:
        runtime = tidemark.runtime()
        with runtime.connect() as conn, conn.cursor() as cur:
            cur.execute("select count(*) from ops.quarantine where raw_table = 'community_events' "
                        "and check_name = 'community_event_shape' "
                        "and released_at is null")
            held = cur.fetchone()[0]
        return dg.AssetCheckResult(passed=held == 0, severity=dg.AssetCheckSeverity.WARN,
                                   description=f"{held} line(s) held (tidemark quarantine list --platform community)",
                                   metadata={"held": held})

    return [rejected_lines]
