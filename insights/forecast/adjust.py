"""What the forecaster does to a model's output before it is stored, each with the note it leaves.

A frame here has the columns point, lower_80, upper_80, lower_95, upper_95 for one series, in
horizon order (day 1 first).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from insights.forecast.prepare import PreparedSeries

BOUNDS = ["lower_80", "upper_80", "lower_95", "upper_95"]


def widen(out: pd.DataFrame, factor: float) -> pd.DataFrame:
    """Each bound `factor` times as far from the point (short history: no backtest checked them)."""
    out = out.copy()
    for column in BOUNDS:
        out[column] = out["point"] + (out[column] - out["point"]) * factor
    return out


def calibration(backtest: pd.DataFrame, levels=(80, 95), minimum_days: int = 28) -> dict[int, float] | None:
    """{level: the factor that makes the backtest's intervals cover `level` % of its known days}.

    Each known day's error is measured in half-widths of its own interval (on the side it fell);
    the factor is that ratio's `level` % quantile (1 = the model's intervals were right). None
    with fewer than `minimum_days` known days: too few to estimate a 95 % quantile."""
    known = backtest[backtest["actual"].notna()]
    if len(known) < minimum_days:
        return None
    error = (known["actual"] - known["point"]).to_numpy()
    factors = {}
    for level in levels:
        upper = (known[f"upper_{level}"] - known["point"]).to_numpy()
        lower = (known["point"] - known[f"lower_{level}"]).to_numpy()
        half_width = np.where(error > 0, upper, lower)
        ratio = np.divide(np.abs(error), half_width, out=np.full(error.size, np.inf), where=half_width > 0)
        factors[level] = float(np.clip(np.quantile(ratio, level / 100), 0.5, 3.0))
    return factors


def scale(out: pd.DataFrame, factors: dict[int, float]) -> pd.DataFrame:
    """Each level's bounds `factors[level]` times as far from the point."""
    out = out.copy()
    for level, factor in factors.items():
        for column in (f"lower_{level}", f"upper_{level}"):
            out[column] = out["point"] + (out[column] - out["point"]) * factor
    return out


def nest(out: pd.DataFrame) -> pd.DataFrame:
    """The 95 % band at least as wide as the 80 % band on each side. A model's own bands, an ensemble's
    mean of them or a per-level rescale can cross by a hair far out (seen: AutoTheta, day 52)."""
    out = out.copy()
    out["lower_80"] = np.minimum(out["lower_80"], out["point"])
    out["upper_80"] = np.maximum(out["upper_80"], out["point"])
    out["lower_95"] = np.minimum(out["lower_95"], out["lower_80"])
    out["upper_95"] = np.maximum(out["upper_95"], out["upper_80"])
    return out


def pad(out: pd.DataFrame, amount: float) -> pd.DataFrame:
    """Bounds moved out by `amount` (a rounded count can land half a step from the true one)."""
    out = out.copy()
    out[["lower_80", "lower_95"]] -= amount
    out[["upper_80", "upper_95"]] += amount
    return out


def recent_jump(series: PreparedSeries, season_length: int = 7) -> tuple[float, np.ndarray] | None:
    """(ratio, the earlier weekly profile) when the last week is a jump — a viral week the history
    ends in — else None.

    A jump: the last `season_length` days' median at least twice the median of the four weeks
    before, and more than 5 robust standard deviations above it. A running total (a series that
    never goes down, like followers) keeps its jump: it does not fade, only its growth does."""
    raw = series.raw
    if raw.size < 5 * season_length:
        return None
    recent, before = raw[-season_length:], raw[-5 * season_length:-season_length]
    if np.isnan(recent).sum() > season_length // 2 or np.isnan(before).sum() > 2 * season_length:
        return None
    known = raw[~np.isnan(raw)]
    if (np.diff(known) >= 0).mean() >= 0.95:
        return None
    level, now = np.nanmedian(before), np.nanmedian(recent)
    spread = 1.4826 * np.nanmedian(np.abs(before - level))
    if level <= 0 or now < 2 * level or now - level <= 5 * max(spread, 1e-9):
        return None
    weeks = before.reshape(4, season_length)
    profile = np.nanmedian(weeks, axis=0)
    return float(now / level), np.where(np.isnan(profile), level, profile)


def fade(out: pd.DataFrame, profile: np.ndarray, half_life: float) -> pd.DataFrame:
    """Move the forecast from the model's (spike) level back toward the earlier weekly profile:
    day h keeps 0.5^(h / half_life) of the difference. The bounds keep their distance to the point
    in proportion to it (a count's uncertainty grows with its level)."""
    out = out.copy()
    h = np.arange(1, len(out) + 1)
    anchor = profile[(h - 1) % profile.size]     # day 1 is the weekday after the history's last
    model_point = out["point"].to_numpy()
    point = anchor + (model_point - anchor) * 0.5 ** (h / half_life)
    ratio = np.divide(point, model_point, out=np.ones_like(point), where=model_point > 0)
    for column in BOUNDS:
        out[column] = point + (out[column].to_numpy() - model_point) * ratio
    out["point"] = point
    return out


def clip_at_zero(out: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Counts cannot go negative: point and bounds clipped at 0; True when anything was clipped."""
    columns = ["point", *BOUNDS]
    clipped = bool((out[columns] < 0).any().any())
    out = out.copy()
    out[columns] = out[columns].clip(lower=0)
    return out, clipped
