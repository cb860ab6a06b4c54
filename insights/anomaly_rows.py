"""The detector's verdicts → rows of marts.mart_anomalies (only the anomalous points).

The id is a hash of what the anomaly is about (level, platform, account, post, metric, day), so a
rerun over the same data keeps the same ids and `write_anomalies` can keep first-seen times.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from insights.warehouse import ANOMALY_COLUMNS, split_series_id, table_exists


def anomaly_id(*parts) -> str:
    return hashlib.md5("|".join("" if p is None else str(p) for p in parts).encode()).hexdigest()


def series_anomalies(verdicts: pd.DataFrame, level: str, method: str) -> pd.DataFrame:
    """Anomalous points of account (or community) series, in the mart's shape."""
    hits = split_series_id(verdicts[verdicts["is_anomaly"]].copy())
    if hits.empty:
        return pd.DataFrame(columns=list(ANOMALY_COLUMNS))
    hits["observed_on"] = pd.to_datetime(hits["ds"]).dt.date
    hits["post_id"] = None
    expected = hits["expected"].astype(float)
    hits = hits.assign(
        level=level, value=hits["y"], lower_bound=hits["lower"], upper_bound=hits["upper"],
        ratio=np.where(expected > 0, hits["y"] / expected.where(expected > 0), np.nan),
        likely_cause=None, method=method,
    )
    hits["anomaly_id"] = [anomaly_id(level, p, a, None, m, d) for p, a, m, d in
                          zip(hits.platform, hits.account_id, hits.metric, hits.observed_on, strict=True)]
    return hits.loc[:, list(ANOMALY_COLUMNS)].reset_index(drop=True)


def with_drop_causes(conn, anomalies: pd.DataFrame) -> pd.DataFrame:
    """Account views drops take the likely cause (broken connection / real decline) of the drop
    alert whose episode covers their day (ops.alerts, insights/alerts/drops.py)."""
    if anomalies.empty:
        return anomalies
    with conn.cursor() as cur:
        if not table_exists(cur, "ops.alerts"):
            return anomalies
        cur.execute("select platform, account_id, episode_start, last_seen, likely_cause from ops.alerts "
                    "where kind = 'account_drop' and likely_cause is not null")
        episodes = cur.fetchall()
    causes = anomalies["likely_cause"].astype(object).copy()
    drops = anomalies.index[(anomalies["level"] == "account") & (anomalies["metric"] == "views")
                            & (anomalies["direction"] == "drop")]
    for platform, account, start, last, cause in episodes:
        hit = drops[(anomalies.loc[drops, "platform"] == platform) & (anomalies.loc[drops, "account_id"] == account)
                    & (anomalies.loc[drops, "observed_on"] >= start) & (anomalies.loc[drops, "observed_on"] <= last)]
        causes.loc[hit] = cause
    return anomalies.assign(likely_cause=causes)
