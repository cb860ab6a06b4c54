"""NAB-style evaluation of detections against labelled windows (Lavin & Ahmad 2015).

Followed from github.com/numenta/NAB (commit ea702d7): nab/sweeper.py (scaledSigmoid,
calcSweepScore, calcScoreByThreshold), config/profiles.json (the standard profile) and
nab/runner.py (normalize). Per file:
  a window's score   the best of its detections, scaled_sigmoid(-(right - i + 1) / width) · A_TP /
                     scaled_sigmoid(-1) (1.0 for a detection at its left edge, less later), or −A_FN
                     when nothing falls inside it
  each detection outside every window   A_FP · scaled_sigmoid(|i − previous window's right| /
                     (previous width − 1)), or −A_FP when no window precedes it (every such point
                     counts: three flagged days in a row are three false positives, as in NAB)
  the probationary period (the first 15 % of rows, at most 750) is not scored
The normalised score is 100 · (raw − null) / (perfect − null) over all files, null = −A_FN · windows
(nothing detected) and perfect = A_TP · windows, so a null detector scores 0 and a perfect one 100.
Precision/recall/F1 count windows: a window is a true positive when a detection falls inside it; a
run of consecutive detected rows outside every window is ONE false alarm (one alert episode).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.anomalies.labels import Window
from insights.frames import InsightsInputError


@dataclass(frozen=True)
class CostMatrix:
    tp: float = 1.0
    fp: float = 0.11
    fn: float = 1.0


STANDARD = CostMatrix()       # NAB config/profiles.json "standard"
PROBATIONARY_PERCENT = 0.15   # NAB's default (nab/runner.py, --probationaryPercent)


def scaled_sigmoid(position: float) -> float:
    """NAB's weight of a detection at a relative position (−1 window's left edge, 0 its right edge)."""
    if position > 3.0:
        return -1.0
    return 2 / (1 + math.exp(5 * position)) - 1


@dataclass(frozen=True)
class SeriesScore:
    windows: int                # windows scored (after the probationary period)
    detected_windows: int       # windows with at least one detection inside
    false_alarms: int           # runs of consecutive detections outside every window
    false_positive_points: int  # detections outside every window (NAB counts each)
    raw_score: float            # NAB's raw score of this file


def score_series(timestamps, detected, windows: list[Window], cost: CostMatrix = STANDARD,
                 probationary_percent: float = PROBATIONARY_PERCENT) -> SeriesScore:
    """Score one file's detections (`detected[i]` for the row at `timestamps[i]`, sorted rows)."""
    times = pd.DatetimeIndex(timestamps)
    detected = np.asarray(detected, dtype=bool)
    n = len(times)
    probation = min(math.floor(probationary_percent * n), probationary_percent * 5000)
    bounds = [b for b in _row_windows(times, windows) if b[1] >= probation]
    best = [-cost.fn] * len(bounds)
    max_tp = scaled_sigmoid(-1.0)
    fp_total, fp_points, false_alarms, previous_row = 0.0, 0, 0, None
    for i in np.flatnonzero(detected):
        if i < probation:
            continue
        inside = [k for k, (left, right) in enumerate(bounds) if left <= i <= right]
        if inside:
            k = inside[0]
            left, right = bounds[k]
            weight = scaled_sigmoid(-(right - i + 1) / (right - left + 1)) * cost.tp / max_tp
            best[k] = max(best[k], weight)
            continue
        before = [b for b in bounds if b[1] < i]
        if before:
            left, right = before[-1]
            fp_total += cost.fp * scaled_sigmoid(abs(i - right) / max(right - left, 1))
        else:
            fp_total -= cost.fp
        fp_points += 1
        false_alarms += int(previous_row != i - 1)
        previous_row = int(i)
    detected_windows = sum(1 for b in best if b > -cost.fn)
    return SeriesScore(len(bounds), detected_windows, false_alarms, fp_points, float(sum(best) + fp_total))


@dataclass(frozen=True)
class Evaluation:
    windows: int
    detected_windows: int
    false_alarms: int
    false_positive_points: int
    raw_score: float
    precision: float
    recall: float
    f1: float
    nab_score: float            # normalised: null detector 0, perfect 100 (NaN without windows)


def evaluate(scores: list[SeriesScore], cost: CostMatrix = STANDARD) -> Evaluation:
    """Totals over files, precision/recall/F1 by window and NAB's normalised score."""
    windows = sum(s.windows for s in scores)
    hits = sum(s.detected_windows for s in scores)
    alarms = sum(s.false_alarms for s in scores)
    raw = sum(s.raw_score for s in scores)
    precision = hits / (hits + alarms) if hits + alarms else math.nan
    recall = hits / windows if windows else math.nan
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else math.nan
    null, perfect = -cost.fn * windows, cost.tp * windows
    nab = 100 * (raw - null) / (perfect - null) if windows else math.nan
    return Evaluation(windows, hits, alarms, sum(s.false_positive_points for s in scores), float(raw),
                      float(precision), float(recall), float(f1), float(nab))


def score_detections(frame: pd.DataFrame, judged: pd.DataFrame, windows: list[Window],
                     cost: CostMatrix = STANDARD) -> list[SeriesScore]:
    """Each series of `frame` (all its rows, unknown values too) scored against the same windows,
    with `judged`'s anomalies (detect's output) as the detections."""
    flagged = set(zip(judged.loc[judged.is_anomaly, "series_id"], judged.loc[judged.is_anomaly, "ds"],
                      strict=True))
    scores = []
    for series_id, part in frame.sort_values("ds").groupby("series_id", sort=True):
        detected = [(series_id, ds) in flagged for ds in part["ds"]]
        scores.append(score_series(part["ds"], detected, windows, cost))
    return scores


def _row_windows(times: pd.DatetimeIndex, windows: list[Window]) -> list[tuple[int, int]]:
    """Windows as first/last row inside them; overlapping ones merged (NAB's labeler merges them)."""
    rows = []
    for start, end in sorted(windows):
        inside = np.flatnonzero((times >= start) & (times <= end))
        if len(inside) == 0:
            raise InsightsInputError(f"the labelled window [{start}, {end}] contains no row of the series "
                                     f"({times.min()} … {times.max()})")
        left, right = int(inside[0]), int(inside[-1])
        if rows and left <= rows[-1][1]:
            rows[-1] = (rows[-1][0], max(rows[-1][1], right))
        else:
            rows.append((left, right))
    return rows
