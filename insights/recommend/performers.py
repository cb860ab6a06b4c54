"""`over_under_performer`: the posts of the last 14 days far above or below what the account's posts
get at that age — the post rows of marts.mart_anomalies (docs/insights-anomalies.md), reused.

The detector gives a robust z-score; the confidence that the post really is out of the ordinary is
the two-sided normal coverage of that score, 2Φ(|z|) − 1 (|z| = 3 → 0.997). This is a statement
about the post, not a recommendation with a bootstrap behind it; the method says so.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from scipy import stats

from insights.recommend.rows import insight

DAYS = 14
PER_ACCOUNT = 3
METHOD = "marts.mart_anomalies post rows (seasonal robust baseline by post age); confidence = 2Φ(|robust z|) − 1"


def performers(anomalies: pd.DataFrame, today: date, now: datetime) -> list[dict]:
    if anomalies.empty:
        return []
    frame = anomalies[pd.to_datetime(anomalies["observed_on"]).dt.date >= today - timedelta(days=DAYS)]
    frame = frame.sort_values(["severity", "anomaly_id"], ascending=[False, True]).drop_duplicates(
        ["platform", "account_id", "post_id"])
    out = []
    for (platform, account), rows in frame.groupby(["platform", "account_id"], sort=True):
        for row in rows.head(PER_ACCOUNT).itertuples():
            over = row.direction == "spike"
            title = f"'{row.post_title}'" if isinstance(row.post_title, str) and row.post_title else f"post {row.post_id}"
            text = (f"{title} {'over' if over else 'under'}performed: {row.reason}. "
                    f"{'Look at what made it work.' if over else 'Check what set it apart.'}")
            data = {"post_id": row.post_id, "metric": row.metric, "observed_on": str(row.observed_on),
                    "value": row.value, "expected": row.expected, "ratio": row.ratio, "score": row.score,
                    "direction": row.direction, "anomaly_id": row.anomaly_id}
            confidence = float(2 * stats.norm.cdf(abs(row.score)) - 1)
            out.append(insight("over_under_performer", platform, account, row.post_id, data, confidence,
                               METHOD, text, now))
    return out
