"""`tidemark run`: every asset through the Dagster instance, then a short summary.

Ingestion jobs (one per platform, a partition range each) run first, then the transform job
(dbt build + tests, the quality gate, the reports). Runs are recorded in the instance's
Postgres storage, so `make ui` shows their history.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import dagster as dg

from core.warehouse.credentials import DEAD, token_health
from core.warehouse.locks import PIPELINE, LockHeld, advisory_lock
from orchestration.community import INGEST_JOB as COMMUNITY_INGEST_JOB
from orchestration.definitions import TRANSFORM_JOB, build_definitions, public_marts
from orchestration.partitions import partition_range_tags
from orchestration.tags import LAUNCHER_TAG, WORKSPACE_TAG
from tidemark.runtime import WiredRuntime
from tidemark.summary import AccountOutcome, RunSummary

TOKEN_CHECK = "tokens_"
TOKEN_REFRESH_JOB = "instagram_token_refresh_job"
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
LAUNCHER = "tidemark run"


def _count_checks(result, summary: RunSummary) -> None:
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.event_specific_data
        if evaluation.passed:
            summary.checks["passed"] += 1
        elif evaluation.severity == dg.AssetCheckSeverity.WARN:
            summary.checks["warned"] += 1
            summary.warned_checks.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
        else:
            summary.checks["failed"] += 1
            if not evaluation.check_name.startswith(TOKEN_CHECK):  # not blocking: listed as reconnects
                summary.failed_checks.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")


class RunInProgress(RuntimeError):
    pass


@contextmanager
def exclusive_run(runtime):
    """One `tidemark run` per warehouse at a time: a second one would repeat the work."""
    try:
        with advisory_lock(runtime.warehouse_url, PIPELINE, wait=False):
            yield
    except LockHeld as held:
        raise RunInProgress(f"another `tidemark run` is in progress on this warehouse ({held}); "
                            "wait for it to finish (or stop it) and run again") from None


def run_pipeline(runtime, platforms: list[str], start=None, end=None, log=print, community: bool = True,
                 workspace: str | None = None) -> RunSummary:
    """Ingest each platform (its own lookback window unless start/end are given) and, when the
    deployment has one, the community's new event files; then transform. `workspace`: a run for one
    workspace (every run tagged tidemark/workspace): its accounts and its reports; the marts are
    rebuilt whole, so every workspace's numbers stay in them."""
    config = runtime.workspace
    community = community and config.community is not None and workspace in (None, config.community_workspace().id)
    with exclusive_run(runtime):
        return _run_pipeline(runtime, platforms, start, end, log, community, workspace)


def sweep_abandoned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Runs of an earlier `tidemark run` still STARTED were cut off (killed, lost their database):
    while this process holds the pipeline lock none of them can be alive. Mark them failed."""
    stuck = instance.get_runs(filters=dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.NOT_STARTED],
        tags={LAUNCHER_TAG: LAUNCHER}))
    for run in stuck:
        instance.report_run_failed(run, message="the `tidemark run` that started this run ended without finishing "
                                                "it (killed or cut off from the database); marked failed")
    return [f"{run.job_name} (run {run.run_id[:8]})" for run in stuck]


def _run_pipeline(runtime, platforms: list[str], start, end, log, community: bool, workspace: str | None) -> RunSummary:
    defs = build_definitions(WiredRuntime())
    instance = dg.DagsterInstance.get()
    summary = RunSummary(abandoned_runs=sweep_abandoned_runs(instance))
    tags = {LAUNCHER_TAG: LAUNCHER} | ({WORKSPACE_TAG: workspace} if workspace else {})
    if runtime.credential_store is not None and "instagram" in platforms:
        # Stored Instagram tokens die 60 days after their last refresh: renew before they are read.
        job = defs.resolve_job_def(TOKEN_REFRESH_JOB)
        result = job.execute_in_process(instance=instance, tags=tags, run_config=RUN_CONFIG, raise_on_error=False)
        summary.runs.append((job.name, result.run_id, result.success))
    for platform in platforms:
        first, last = default_range(runtime, platform)
        first, last = start or first, end or last
        log(f"==> ingest {platform}: partitions {first}..{last}")
        job = defs.resolve_job_def(f"ingest_{platform}_job")
        result = job.execute_in_process(instance=instance, tags=tags | partition_range_tags(str(first), str(last)),
                                        run_config=RUN_CONFIG, raise_on_error=False)
        summary.runs.append((job.name, result.run_id, result.success))
        _count_checks(result, summary)
    if community:
        log("==> ingest community: new event files")
        job = defs.resolve_job_def(COMMUNITY_INGEST_JOB)
        result = job.execute_in_process(instance=instance, tags=tags, run_config=RUN_CONFIG, raise_on_error=False)
        summary.runs.append((job.name, result.run_id, result.success))
        _count_checks(result, summary)
    log("==> transform: dbt build, quality gate, reports")
    job = defs.resolve_job_def(TRANSFORM_JOB)
    result = job.execute_in_process(instance=instance, tags=tags, run_config=RUN_CONFIG, raise_on_error=False)
    summary.runs.append((job.name, result.run_id, result.success))
    _count_checks(result, summary)
    _read_outcomes(runtime, summary, [run_id for _, run_id, _ in summary.runs], public_marts(defs))
    return summary


def _read_outcomes(runtime, summary: RunSummary, run_ids: list[str], marts: list[str]) -> None:
    with runtime.connect() as conn, conn.cursor() as cur:
        for mart in marts:
            cur.execute("select to_regclass(%s)", (f"marts.{mart}",))
            if cur.fetchone()[0]:
                cur.execute(f"select count(*) from marts.{mart}")
                summary.mart_rows[mart] = cur.fetchone()[0]
        cur.execute("select files from ops.analytics_reports where run_id = any(%s) order by name", (run_ids,))
        for (files,) in cur.fetchall():
            summary.report_files.extend(files.values())
        cur.execute("select platform, account_id, status, message from ops.sync_results where run_id = any(%s) "
                    "order by platform, account_id", (run_ids,))
        summary.accounts = [AccountOutcome(*row) for row in cur.fetchall()]
    dead = token_health(runtime.credential_store, runtime.workspace, runtime.settings.now())
    summary.reconnect = [f"{r['platform']} {r['account_id']}: {r['note']}" for r in dead if r["status"] == DEAD]


def default_range(runtime, platform: str):
    """The partitions a scheduled run of this platform would ask for (its lookback up to today)."""
    today = runtime.settings.now().date()
    lookback = runtime.platform_settings(platform).lookback_days
    return today - timedelta(days=max(lookback - 1, 0)), today
