"""The expected value and the robust scale of a series at each step, from its past only.

Every quantity at step t is computed from steps t-1, t-2, … (a matrix of lags, one row per step),
so appending future points never changes an earlier verdict: the pipeline judges yesterday with
what it knew yesterday. Missing values are NaN and every statistic skips them (nan-medians).

expected(t) = level(t) + offset(phase of t)      (on the log scale for counts: level × profile)
    offset  the season profile: per phase, the median over the trailing seasons of the value minus
            the median of its own season block, so a level shift inside the window moves one
            block, not the profile
    level   the median of the last season (at least 7 steps) with the profile taken out: a one-day
            spike does not move it, a level shift does after half a season (the shift is flagged,
            then the baseline follows it)
scale(t)    1.4826 × MAD of the trailing residuals (the robust σ); when more than half of them are
            identical (MAD = 0, e.g. rounded counts), 1.2533 × their mean absolute deviation
            (Iglewicz & Hoaglin's modified z)
score(t)    the robust z made comparable across sample sizes: a σ from 28 residuals is uncertain,
            so residual/σ has Student-t tails (P(|z| > 3.5) was 0.43 % on Gaussian noise instead of
            the normal 0.047 %); the score is the normal z with the same tail probability under a
            t with n/2 degrees of freedom (n residuals behind σ; n/2 calibrated on Gaussian noise,
            MAD's efficiency is 37 %), so a threshold means the same with 2 weeks or 2 years of history
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats

MAD_TO_SIGMA = 1.4826      # σ of a normal distribution = 1.4826 × its median absolute deviation
MEANAD_TO_SIGMA = 1.2533   # … = 1.2533 × its mean absolute deviation (√(π/2))
MIN_RESIDUALS = 5          # a scale from fewer past residuals is not trusted: the step is not judged
LEVEL_STEPS = 7            # the level is a median over at least this many recent steps


def nanmedian(a: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """np.nanmedian without its slow masked-array path on small rows: sort (NaN last), take the middle
    of the known values. All unknown → NaN."""
    moved = np.sort(np.moveaxis(a, axis, -1), axis=-1)
    known = np.sum(~np.isnan(moved), axis=-1, keepdims=True)
    low = np.take_along_axis(moved, np.maximum((known - 1) // 2, 0), axis=-1)
    high = np.take_along_axis(moved, np.minimum(known // 2, moved.shape[-1] - 1), axis=-1)
    median = np.where(known > 0, (low + high) / 2, np.nan)
    median = np.moveaxis(median, -1, axis) if keepdims else median[..., 0]
    return median


def window_steps(window: int, season: int) -> int:
    """The trailing window, rounded up to whole seasons and at least three (a median per phase)."""
    return season * max(3, math.ceil(window / season))


def lags(x: np.ndarray, width: int) -> np.ndarray:
    """Row t holds x[t-1], x[t-2], … x[t-width] (NaN before the start): the past of each step."""
    padded = np.concatenate([np.full(width, np.nan), x])
    past = np.lib.stride_tricks.sliding_window_view(padded, width)[: len(x)]
    return past[:, ::-1]


def expected_values(x: np.ndarray, season: int, width: int) -> np.ndarray:
    """The expected value of every step from its past (NaN where the past is too short)."""
    blocks = lags(x, width).reshape(len(x), width // season, season)   # [t, season back, lag in it]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)                # all-NaN slices → NaN
        block_level = nanmedian(blocks, axis=2, keepdims=True)
        offset = nanmedian(blocks - block_level, axis=1)            # [t, lag in season]
        offset = offset - np.nanmean(offset, axis=1, keepdims=True)
        if season == 1:
            offset = np.zeros_like(offset)
        level_blocks = math.ceil(LEVEL_STEPS / season)
        recent = blocks[:, :level_blocks, :] - offset[:, None, :]
        level = nanmedian(recent.reshape(len(x), -1), axis=1)
    # lag `season` (the last position in a block) falls on the same phase as step t
    return level + offset[:, season - 1]


def robust_scale(residuals: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The robust σ of the residuals before each step (NaN with fewer than MIN_RESIDUALS), and
    how many residuals it comes from."""
    past = lags(residuals, width)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        centre = nanmedian(past, axis=1, keepdims=True)
        deviation = np.abs(past - centre)
        mad = MAD_TO_SIGMA * nanmedian(deviation, axis=1)
        mean_ad = MEANAD_TO_SIGMA * np.nanmean(deviation, axis=1)
    scale = np.where(mad > 0, mad, mean_ad)
    known = np.sum(~np.isnan(past), axis=1)
    return np.where(known >= MIN_RESIDUALS, scale, np.nan), known


def normal_equivalent(z: np.ndarray, known: np.ndarray) -> np.ndarray:
    """The signed normal z with the tail probability of `z` under a t with known/2 degrees of freedom."""
    df = np.maximum(known / 2, 1.0)
    with np.errstate(invalid="ignore"):
        tail = stats.t.sf(np.abs(z), df)
        equivalent = np.sign(z) * stats.norm.isf(tail)
    return np.where(np.isfinite(equivalent), equivalent, z)   # an underflowing tail keeps the raw z


def t_quantile_factor(threshold: float, known: np.ndarray) -> np.ndarray:
    """How many σ the band reaches so that a value outside it has |normal_equivalent| > threshold."""
    df = np.maximum(known / 2, 1.0)
    return stats.t.isf(stats.norm.sf(threshold), df)
