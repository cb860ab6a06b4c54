"""An anomaly in words: "views 4.8× the expected 1,200 for a Tuesday", "views 62 % below …"."""

from __future__ import annotations

import pandas as pd

from insights.words import number

# a spike of at least this ratio reads better as "4.8×" than as "380 % above"
TIMES_FROM = 2.0


def reasons(judged: pd.DataFrame, metric: str, step: pd.Timedelta) -> pd.Series:
    """The reason of each anomalous row (None for the others: they need no explanation)."""
    out = pd.Series([None] * len(judged), index=judged.index, dtype=object)
    for i, row in judged[judged["is_anomaly"]].iterrows():
        out[i] = reason(metric, row["y"], row["expected"], row["ds"], step)
    return out


def reason(metric: str, value: float, expected: float, ds: pd.Timestamp, step: pd.Timedelta) -> str:
    when = _when(pd.Timestamp(ds), step)
    if expected > 0 and value > 0:
        ratio = value / expected
        if ratio >= TIMES_FROM:
            return f"{metric} {ratio:,.1f}× the expected {number(expected)} {when}"
        if ratio >= 1:
            return f"{metric} {(ratio - 1) * 100:.0f} % above the expected {number(expected)} {when}"
        return f"{metric} {(1 - ratio) * 100:.0f} % below the expected {number(expected)} {when}"
    return f"{metric} {number(value)} where {number(expected)} was expected {when}"


def _when(ds: pd.Timestamp, step: pd.Timedelta) -> str:
    if step == pd.Timedelta(days=1):
        return f"for a {ds:%A}"
    if step == pd.Timedelta(hours=1):
        return f"for {ds:%A %H:%M}"
    return f"at {ds:%Y-%m-%d %H:%M}"
