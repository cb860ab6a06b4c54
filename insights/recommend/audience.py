"""`audience_shift`: the largest change of an audience share (age group, country, gender …) between
the newest demographics snapshot and the newest one at least 28 days older.

Where the platform reports counts, the share difference has a binomial standard error
(√(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂)) and the confidence is the posterior P(the share moved that way) with
a N(0, 5 points²) prior. Where it reports percentages only, the sample size is unknown: the
confidence is capped at 0.6 (low) and the text says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from insights.recommend.confidence import posterior
from insights.recommend.rows import insight

MIN_GAP_DAYS = 28
MIN_CHANGE_POINTS = 2.0
PRIOR_SD_POINTS = 5.0
UNKNOWN_SAMPLE_CAP = 0.6
METHOD = ("share change between two snapshots ≥ 28 days apart; binomial SE on counts, spike-and-slab prior (½ no change, ½ N(0, 5 points²)); "
          "percent-only platforms capped at 0.6")


def _pair(rows: pd.DataFrame) -> tuple | None:
    dates = sorted(rows["snapshot_date"].unique())
    latest = dates[-1]
    earlier = [d for d in dates if d <= latest - timedelta(days=MIN_GAP_DAYS)]
    return (earlier[-1], latest) if earlier else None


def audience_shifts(demographics: pd.DataFrame, now: datetime) -> list[dict]:
    out = []
    frame = demographics.assign(snapshot_date=pd.to_datetime(demographics["snapshot_date"]).dt.date)
    for (platform, account, audience, dimension), rows in frame.groupby(
            ["platform", "account_id", "audience", "dimension"], sort=True):
        pair = _pair(rows)
        if pair is None:
            continue
        before, after = (rows[rows["snapshot_date"] == d].set_index("dimension_value") for d in pair)
        change = (after["share_pct"].astype(float) - before["share_pct"].astype(float)).dropna()
        if change.empty or change.abs().max() < MIN_CHANGE_POINTS:
            continue
        value = change.abs().sort_values(ascending=False, kind="stable").index[0]
        delta = float(change[value])
        counts = set(rows["value_kind"]) == {"count"}
        if counts:
            n1, n2 = float(before["value"].astype(float).sum()), float(after["value"].astype(float).sum())
            p1, p2 = float(before.at[value, "share_pct"]) / 100, float(after.at[value, "share_pct"]) / 100
            se = 100 * np.sqrt(p1 * (1 - p1) / max(n1, 1) + p2 * (1 - p2) / max(n2, 1))
            _, confidence = posterior(delta, se, PRIOR_SD_POINTS)
            caveat = f"from {n1:,.0f} and {n2:,.0f} people counted"
        else:
            se, confidence = None, UNKNOWN_SAMPLE_CAP
            caveat = "the platform gives percentages only, so the sample size is unknown"
        way = "grew" if delta > 0 else "shrank"
        text = (f"Your {audience} audience's {dimension} '{value}' share {way} from "
                f"{float(before.at[value, 'share_pct']):.1f} % to {float(after.at[value, 'share_pct']):.1f} % "
                f"between {pair[0]:%Y-%m-%d} and {pair[1]:%Y-%m-%d} ({caveat}).")
        data = {"audience": audience, "dimension": dimension, "value": value, "from_date": str(pair[0]),
                "to_date": str(pair[1]), "share_before_pct": float(before.at[value, "share_pct"]),
                "share_after_pct": float(after.at[value, "share_pct"]), "change_points": round(delta, 4),
                "se_points": se, "sample_known": counts, "prior_sd_points": PRIOR_SD_POINTS}
        out.append(insight("audience_shift", platform, account, f"{audience}/{dimension}", data, confidence,
                           METHOD, text, now))
    return out
