"""`marts/mart_anomalies`: spikes and drops of account × day, community × day and post × day series,
found by the detector `tidemark insights detect` runs (insights/anomalies/) and the post bands of
the viral alerts (insights/alerts/)."""


import time
from dataclasses import replace
from datetime import date

import dagster as dg
import pandas as pd

from insights.alerts import warehouse as alert_facts
from insights.alerts.viral import post_anomalies
from insights.anomalies import DetectorSettings, detect
from insights.anomalies.detector import METHOD
from insights.anomaly_rows import series_anomalies, with_drop_causes
from insights.warehouse import read_account_series, read_community_series, write_anomalies
from orchestration.insights.alerts import ALERTS
from orchestration.insights.common import INPUTS, made_on
from orchestration.resources import Tidemark

ANOMALIES = dg.AssetKey(["marts", "mart_anomalies"])
ACCOUNT_METRICS = ("views", "engagements", "followers_net")


def account_and_community_anomalies(runtime, conn, settings: DetectorSettings) -> pd.DataFrame:
    parts = []
    for level, series in (("account", read_account_series(conn, ACCOUNT_METRICS)),
                          ("community", read_community_series(conn, made_on(runtime)))):
        if series.empty:
            continue
        for metric, one in series.groupby(series.series_id.str.rsplit("/", n=1).str[-1]):
            # followers_net may go below 0: judge it on the linear scale from its first day on, so a
            # later negative day never changes earlier verdicts
            chosen = replace(settings, multiplicative=False) if metric == "followers_net" else settings
            parts.append(series_anomalies(detect(one, chosen, metric=metric), level, METHOD))
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def all_post_anomalies(runtime, conn) -> pd.DataFrame:
    """Every judged post-day of the facts' history above its band (the viral rule's days)."""
    end = alert_facts.latest_day(conn)
    if end is None:
        return pd.DataFrame()
    post_days = alert_facts.read_post_days(conn, date(1970, 1, 1), end)
    if post_days.empty:
        return pd.DataFrame()
    first = pd.to_datetime(post_days["metric_date"]).min().date()
    return post_anomalies(post_days, runtime.workspace.insights.alerts, start=first, end=end)


# after ops/alerts: an account's drop takes the likely cause its drop alert worked out
@dg.asset(key=ANOMALIES, group_name="insights_marts", deps=[*INPUTS, ALERTS], kinds={"python", "postgres"},
          description="Spikes and drops of every account's views, engagements and net followers, every community's "
                      "DAU and joins (robust z of the residual from a seasonal baseline) and every post's views "
                      "against its account's posts at the same age, with the reason in words (docs/insights.md).")
def mart_anomalies(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    started = time.monotonic()
    with runtime.connect() as conn:
        series = account_and_community_anomalies(runtime, conn, DetectorSettings())
        parts = [p for p in (with_drop_causes(conn, series), all_post_anomalies(runtime, conn)) if not p.empty]
        found = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        counts = write_anomalies(conn, found, runtime.settings.now())
    by_level = found["level"].value_counts().to_dict() if not found.empty else {}
    context.log.info(f"anomalies: {counts['rows']} ({by_level}), {counts['new']} new")
    return dg.MaterializeResult(metadata={**counts, "by_level": dg.MetadataValue.json(by_level),
                                          "seconds": round(time.monotonic() - started, 2)})
