"""`ops/alerts`: viral-post and account-drop alerts after every transform (insights/alerts/).

It runs in the transform job, which the `transform_after_ingest` sensor starts one tick after an
ingestion run succeeds, so an alert goes out within one tick plus the transform. New alerts go to
every reports.yaml delivery target whose `reports` list is empty or names "alerts". The Dagster UI
shows the new alerts (a table in the materialization's metadata), the open count, and the check
`alerts_delivered`, which warns when a target did not take a new alert.
"""

import time

import dagster as dg
import pandas as pd

from core.warehouse.schema import migrate
from insights.alerts import evaluate
from insights.alerts.store import open_count, record_delivery, undelivered
from insights.alerts.text import delivery_text, platform_name
from orchestration.insights.common import deliver_text
from orchestration.resources import Tidemark

ALERTS = dg.AssetKey(["ops", "alerts"])
FACTS = [dg.AssetKey(["marts", "fct_post_metrics_daily"]), dg.AssetKey(["marts", "fct_account_metrics_daily"])]
DELIVERY_NAME = "alerts"  # the name a target's `reports` list must contain (or be empty) to receive alerts
TABLE_ROWS = 50


@dg.asset(key=ALERTS, group_name="insights", deps=FACTS, kinds={"python", "postgres"},
          description="Viral posts (a post's views or engagements far above the account's posts at the same age) "
                      "and account drops (views collapsing, with the likelier cause: a broken connection or a real "
                      "decline), one alert per episode in ops.alerts; new ones are delivered to the reports.yaml "
                      "targets (docs/insights.md).")
def alerts(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    started = time.monotonic()
    with runtime.connect() as conn:
        migrate(conn, [])  # ops.alerts exists even when this run did not ingest
        with conn:
            evaluation = evaluate(conn, runtime.workspace.insights.alerts, context.run_id)
        outcomes = []
        for workspace, new in by_workspace(runtime.workspace, evaluation.new):  # each workspace its own message
            sent = deliver_text(context, runtime, DELIVERY_NAME, delivery_text(list(new["message"]), workspace=workspace),
                                workspace=workspace)
            with conn:
                record_delivery(conn, list(new["alert_id"]), sent)
            outcomes += [{**outcome, "workspace": workspace} for outcome in sent]
        still_open = open_count(conn)
    context.log.info(f"alerts: {len(evaluation.new)} new, {still_open} open "
                     f"({evaluation.judged_post_days} post-days judged, {evaluation.seconds:.2f} s)")
    return dg.MaterializeResult(metadata={
        "new_alerts": len(evaluation.new),
        "open_alerts": still_open,
        "episodes_seen": len(evaluation.alerts),
        "new": dg.MetadataValue.md(_table(evaluation.new)),
        "window": _window(evaluation, runtime.workspace.insights.alerts.enabled),
        "judged_post_days": evaluation.judged_post_days,
        "judged_account_days": evaluation.judged_account_days,
        "deliveries": dg.MetadataValue.json(outcomes),
        "seconds": round(time.monotonic() - started, 2),
    })


def by_workspace(config, new: pd.DataFrame):
    """The new alerts grouped by their account's workspace (tidemark.yaml)."""
    if new.empty:
        return []
    owner = {(p, a.id): a.workspace_id for p in config.platforms for a in config.accounts(p)}
    keys = [owner.get(key, config.workspace.id) for key in zip(new["platform"], new["account_id"], strict=True)]
    return [(workspace, group) for workspace, group in new.groupby(keys, sort=True)]


def _window(evaluation, enabled: bool) -> str:
    if not enabled:
        return "alerts are turned off (tidemark.yaml insights.alerts.enabled: false)"
    return f"{evaluation.start}..{evaluation.end}" if evaluation.end else "no post days yet"


def _table(new: pd.DataFrame) -> str:
    if new.empty:
        return "No new alert."
    lines = ["| kind | platform | account | post | metric | since | value | expected | ratio | likely cause |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in new.head(TABLE_ROWS).itertuples(index=False):
        lines.append(f"| {row.kind} | {platform_name(row.platform)} | {row.account_id} | {row.post_id or ''} | "
                     f"{row.metric} | {row.episode_start} | {_num(row.value)} | {_num(row.expected)} | "
                     f"{_ratio(row.ratio)} | {row.likely_cause or ''} |")
    if len(new) > TABLE_ROWS:
        lines.append(f"\n…and {len(new) - TABLE_ROWS} more in ops.alerts.")
    return "\n".join(lines) + "\n\n" + "\n".join(f"- {m}" for m in new["message"].head(TABLE_ROWS))


def _num(value) -> str:
    return "" if pd.isna(value) else f"{value:,.0f}"


def _ratio(value) -> str:
    return "" if pd.isna(value) else f"{value:.1f}×"


@dg.asset_check(asset=ALERTS, name="alerts_delivered", description=(
    "Warns when a delivery target configured for alerts did not take one of this run's new alerts "
    "(HTTP error, unreachable, or its environment variable unset)."))
def alerts_delivered(context: dg.AssetCheckExecutionContext, tidemark: Tidemark) -> dg.AssetCheckResult:
    runtime = tidemark.runtime()
    with runtime.connect() as conn:
        failures = undelivered(conn, context.op_execution_context.run_id)
    by_target = sorted({(f["target"], f["status"], f["detail"] or "") for f in failures})
    return dg.AssetCheckResult(
        passed=not failures, severity=dg.AssetCheckSeverity.WARN,
        description=None if not failures else f"{len({f['alert_id'] for f in failures})} new alert(s) not "
                    f"delivered to: " + "; ".join(f"{t} ({s}: {d})" for t, s, d in by_target),
        metadata={"undelivered": len({f["alert_id"] for f in failures}),
                  "targets": dg.MetadataValue.json([{"target": t, "status": s, "detail": d} for t, s, d in by_target])},
    )


ALERT_ASSETS: list = [alerts]
ALERT_CHECKS: list = [alerts_delivered]
