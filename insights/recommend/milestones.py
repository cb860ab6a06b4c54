"""`growth_milestone`: when the latest follower forecast (marts.mart_forecasts) crosses the next round
number — "at this rate 100,000 followers around 2027-03-04 (80 % between … and …)".

Milestones are 1, 2.5 and 5 × 10^k above the forecast's first day. The 80 % dates are the first day
the upper and the lower 80 % bound cross it (the lower one may not within the 90 days: "after …").
No insight when even the upper bound never reaches it. Confidence: P(followers ≥ milestone on the
last forecast day), reading the 80 % band as a normal one (sd = (upper − lower) ÷ 2.563); the claim
is "reached within the horizon" or, below 0.5, "not within it".
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
from scipy import stats

from insights.recommend.rows import insight
from insights.words import number

Z80 = stats.norm.ppf(0.9)
METHOD = "first crossing of point / 80 % bounds of the latest followers forecast; P(reach) from the 80 % band"


def next_milestone(value: float) -> float:
    exponent = int(np.floor(np.log10(max(value, 1.0))))
    for power in (exponent, exponent + 1):
        for step in (1.0, 2.5, 5.0):
            if step * 10**power > value:
                return step * 10**power
    return 10 ** (exponent + 2)


def _first(days: pd.DataFrame, column: str, target: float):
    hit = days[days[column] >= target]
    return None if hit.empty else hit["target_date"].iloc[0]


def milestones(forecasts: pd.DataFrame, now: datetime) -> list[dict]:
    frame = forecasts[(forecasts["domain"] == "social") & (forecasts["metric"] == "followers")]
    out = []
    for (platform, account), days in frame.groupby(["platform", "account_id"], sort=True):
        days = days[days["made_on"] == days["made_on"].max()].sort_values("target_date")
        target = next_milestone(float(days["point"].iloc[0]))
        early, around, late = (_first(days, c, target) for c in ("upper_80", "point", "lower_80"))
        if early is None:
            continue
        last = days.iloc[-1]
        sd = max((float(last["upper_80"]) - float(last["lower_80"])) / (2 * Z80), 1e-9)
        p_reach = float(stats.norm.cdf((float(last["point"]) - target) / sd))
        late_text = f"{late:%Y-%m-%d}" if late is not None else f"after {last['target_date']:%Y-%m-%d}"
        if around is not None:
            text = (f"At this rate {number(target)} followers around {around:%Y-%m-%d} "
                    f"(80 % between {early:%Y-%m-%d} and {late_text}).")
        else:
            text = (f"{number(target)} followers is not likely within the forecast's 90 days; "
                    f"at best around {early:%Y-%m-%d} (the 80 % upper bound).")
        data = {"milestone": target, "date": None if around is None else str(around), "earliest_80": str(early),
                "latest_80": None if late is None else str(late), "horizon_end": str(last["target_date"]),
                "p_reach_within_horizon": p_reach, "made_on": str(last["made_on"]), "model": last["model"]}
        out.append(insight("growth_milestone", platform, account, f"{target:.0f}", data, max(p_reach, 1 - p_reach),
                           METHOD, text, now))
    return out
