"""Calibration of the recommendations' confidence: synthetic accounts with KNOWN effects (and null
ones), claims binned by confidence, the share of claims that were right per bin.

Two claim kinds: (1) best posting time — 16 blocks, each with prior probability ½ of no effect and
else a N(0, 0.25²) log effect, posts spread uniformly over weekday × hour, noise σ; the claim "block B
is better than the other times" is right when B's true effect exceeds the mean true effect of the
other posts. (2) a single comparison (format / length / hashtag: `two_sample`) with the effect drawn
from the same spike-and-slab prior; right when the true effect is non-zero and has the claimed sign.
Plus the all-null accounts: how often a claim reaches medium / high when nothing is there.

Run: PYTHONPATH=. python benchmarks/bench_recommend_calibration.py  (fixed seeds; ~1 min)
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

from insights.recommend.confidence import two_sample
from insights.recommend.posting_time import best_block, block_of

BINS = (0.0, 0.3, 0.5, 0.7, 0.9, 1.0001)
NOW = datetime(2026, 11, 20, tzinfo=UTC)


def _effects(rng, k: int, null_share: float = 0.5) -> np.ndarray:
    return np.where(rng.random(k) < null_share, 0.0, rng.normal(0, 0.25, k))


def best_time_trial(rng, n: int, sigma: float, null_share: float) -> tuple[float, bool] | None:
    weekday, hour = rng.integers(1, 8, n), rng.integers(0, 24, n)
    blocks = block_of(pd.Series(weekday), pd.Series(hour))
    names = sorted(blocks.unique())
    truth = dict(zip(names, _effects(rng, len(names), null_share), strict=True))
    true_effect = blocks.map(truth).to_numpy()
    frame = pd.DataFrame({"weekday": weekday, "hour": hour, "rel": true_effect + rng.normal(0, sigma, n)})
    found = best_block(frame)
    if found is None:
        return None
    name, effect, _ = found
    inside = (blocks == name).to_numpy()
    right = truth[name] > true_effect[~inside].mean() if effect.direction == "up" else truth[name] < true_effect[~inside].mean()
    return effect.confidence, bool(right)


def single_trial(rng, n_in: int, n_out: int, sigma: float, null_share: float) -> tuple[float, bool] | None:
    true = _effects(rng, 1, null_share)[0]
    effect = two_sample(true + rng.normal(0, sigma, n_in), rng.normal(0, sigma, n_out), seed=int(rng.integers(1 << 30)))
    if effect is None:
        return None
    right = true != 0 and np.sign(true) == (1 if effect.direction == "up" else -1)
    return effect.confidence, bool(right)


def table(results: list[tuple[float, bool]]) -> str:
    frame = pd.DataFrame(results, columns=["confidence", "right"])
    frame["bin"] = pd.cut(frame["confidence"], BINS, right=False)
    lines = ["| confidence bin | claims | mean confidence | share right |", "|---|---|---|---|"]
    for interval, rows in frame.groupby("bin", observed=True):
        lines.append(f"| {interval.left:.1f}–{min(interval.right, 1):.1f} | {len(rows)} | "
                     f"{rows['confidence'].mean():.2f} | {rows['right'].mean():.2f} |")
    return "\n".join(lines)


def main() -> None:
    rng = np.random.default_rng(2026)
    best, single, nulls = [], [], []
    for n in (20, 50, 100, 200):
        for sigma in (0.15, 0.3, 0.55):
            for _ in range(60):
                if (r := best_time_trial(rng, n, sigma, 0.5)) is not None:
                    best.append(r)
                if (r := best_time_trial(rng, n, sigma, 1.0)) is not None:
                    nulls.append(r)
                for n_in in (3, 10, 30):
                    if (r := single_trial(rng, n_in, n, sigma, 0.5)) is not None:
                        single.append(r)
    print("## best posting time (spike-and-slab truth, 16 blocks)\n" + table(best))
    print("\n## single comparisons (format / length / hashtag)\n" + table(single))
    conf = np.array([c for c, _ in nulls])
    print(f"\n## all-null accounts: {len(nulls)} claims, medium or high {np.mean(conf >= 0.7):.1%}, "
          f"high {np.mean(conf >= 0.9):.1%}, mean confidence {conf.mean():.2f}")


if __name__ == "__main__":
    main()
