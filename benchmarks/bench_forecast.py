"""Tidemark's forecaster vs seasonal naive vs Prophet 1.5.0, rolling-origin backtests at 7 and 30 days.

    benchmarks/prophet_env.sh                       # once: Prophet in .tidemark/prophet-venv
    .venv/bin/python benchmarks/bench_forecast.py [--accounts 100] [--prophet-series 200] [--out FILE]
                                                  [--models AutoTheta SeasonalNaive] [--skip-prophet]

Datasets: Prophet's own examples (Wikipedia page views of Peyton Manning and of R, log scale;
../shared/data/prophet_examples, --data-dir) and simulated creator accounts (simulator/: daily
views and end-of-day followers of each account; YouTube's followers rounded to 3 significant
figures as its API does). Every method is scored by insights/metrics.py on the same windows and
the same known days; MASE's scale is the in-sample seasonal naive (season 7) before the first
window. Tidemark = insights.forecast.backtest's "Tidemark": forecast() on the history cut at each
window (its own model choice included); its seconds are that whole call. Prophet runs in its own
venv (benchmarks/prophet_runner.py), defaults, on the full history before each window; its
seconds are fit + predict + predictive samples.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from insights.forecast import ALL_MODELS, DEFAULT_MODELS, TIDEMARK, ForecastSettings, backtest  # noqa: E402
from insights.forecast.evaluate import evaluation_settings, evaluation_windows  # noqa: E402
from insights.forecast.selection import score_predictions  # noqa: E402
from simulator.platforms import PROFILES  # noqa: E402
from simulator.world import World  # noqa: E402

REAL = {"peyton_manning": "example_wp_log_peyton_manning.csv", "wp_R": "example_wp_log_R.csv"}
METRICS = ["smape", "mase", "coverage_80", "coverage_95"]


def real_series(data_dir: Path, name: str, filename: str) -> pd.DataFrame:
    raw = pd.read_csv(data_dir / filename, parse_dates=["ds"])
    return pd.DataFrame({"series_id": name, "ds": raw.ds, "y": raw.y.astype(float)})


def simulated_accounts(accounts: int, days: int = 240, seed: int = 7) -> pd.DataFrame:
    """Daily views and end-of-day followers of `accounts` simulated accounts, platforms in turn."""
    world = World(seed, datetime(2026, 11, 1, tzinfo=UTC), profiles=PROFILES, history_days=days)
    platforms = sorted(PROFILES)
    parts = []
    for i in range(accounts):
        platform = platforms[i % len(platforms)]
        account = world.account(platform, f"bench-{i:04d}")
        daily = account.account_daily()
        ds = pd.to_datetime(daily.dates)
        followers = account.follower_base + np.cumsum(daily["followers_gained"] - daily["followers_lost"])
        if platform == "youtube":              # the API serves subscriber counts to 3 significant figures
            followers = np.array([float(f"{v:.3g}") for v in followers])
        parts.append(pd.DataFrame({"series_id": f"{platform}/{i:04d}/views", "ds": ds, "y": daily["views"]}))
        parts.append(pd.DataFrame({"series_id": f"{platform}/{i:04d}/followers", "ds": ds, "y": followers}))
    return pd.concat(parts, ignore_index=True).astype({"y": float})


def run_prophet(frame: pd.DataFrame, windows: dict, horizon: int, venv: Path) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        source, cutoffs, target = (Path(tmp) / name for name in ("in.csv", "cutoffs.csv", "out.csv"))
        frame[frame.series_id.isin(windows)].to_csv(source, index=False)
        pd.DataFrame([(sid, c) for sid, cs in windows.items() for c in cs], columns=["series_id", "cutoff"]
                     ).to_csv(cutoffs, index=False)
        subprocess.run([str(venv / "bin" / "python"), str(ROOT / "benchmarks" / "prophet_runner.py"),
                        str(source), str(cutoffs), str(horizon), str(target)], check=True)
        out = pd.read_csv(target, parse_dates=["cutoff", "ds"], dtype={"series_id": str})
    return out


def bench(name: str, frame: pd.DataFrame, horizon: int, args) -> list[dict]:
    settings = evaluation_settings(ForecastSettings(backtest_windows=args.windows, models=tuple(args.models)),
                                   horizon)
    started = time.perf_counter()
    scores = backtest(frame, horizon, settings)
    wall = time.perf_counter() - started
    rows = []
    for model in (TIDEMARK, "SeasonalNaive"):
        mine = scores[scores.model == model]
        rows.append(_row(name, horizon, model, mine, mine.fit_predict_seconds.sum()))
    print(f"  {name} h={horizon}: Tidemark backtest() {wall:.1f} s wall for {scores.series_id.nunique()} series",
          file=sys.stderr)
    prepared, windows = evaluation_windows(frame, horizon, settings)
    chosen = sorted(windows)[: args.prophet_series]
    if args.skip_prophet or not chosen:
        return rows
    predictions = run_prophet(frame, {sid: windows[sid] for sid in chosen}, horizon, Path(args.venv))
    actual = pd.concat([pd.DataFrame({"series_id": s.series_id, "ds": s.ds, "actual": s.raw}) for s in prepared])
    predictions = predictions.merge(actual, on=["series_id", "ds"], how="left")
    group = [s for s in prepared if s.series_id in set(chosen)]
    prophet = score_predictions(predictions, group, settings)
    seconds = predictions.groupby(["series_id", "cutoff"])["seconds"].first().sum()
    rows.append(_row(name, horizon, "Prophet", prophet, seconds))
    if len(chosen) < len(windows):   # Tidemark on the same subset, for a like-for-like comparison
        subset = scores[(scores.model == TIDEMARK) & scores.series_id.isin(chosen)]
        rows.append(_row(name, horizon, f"{TIDEMARK} (Prophet's {len(chosen)} series)", subset,
                         subset.fit_predict_seconds.sum()))
    return rows


def _row(dataset, horizon, method, scores, seconds) -> dict:
    return {"dataset": dataset, "h": horizon, "method": method, "series": scores.series_id.nunique(),
            **{m: scores[m].mean() for m in METRICS}, "seconds": seconds}


def markdown(table: pd.DataFrame) -> str:
    lines = ["| dataset | h | method | series | sMAPE % | MASE | cov 80 % | cov 95 % | fit+predict s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples(index=False):
        lines.append(f"| {r.dataset} | {r.h} | {r.method} | {r.series} | {r.smape:.2f} | {r.mase:.3f} | "
                     f"{r.coverage_80:.0%} | {r.coverage_95:.0%} | {r.seconds:.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data" / "prophet_examples"))
    parser.add_argument("--accounts", type=int, default=100, help="simulated accounts (2 series each)")
    parser.add_argument("--prophet-series", type=int, default=200, help="at most this many series per dataset")
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--horizons", type=int, nargs="+", default=[7, 30])
    parser.add_argument("--venv", default=str(ROOT / ".tidemark" / "prophet-venv"))
    parser.add_argument("--models", nargs="+", choices=ALL_MODELS, default=list(DEFAULT_MODELS),
                        help="Tidemark's candidates (default: %(default)s)")
    parser.add_argument("--skip-prophet", action="store_true")
    parser.add_argument("--out", help="also write the markdown table here")
    args = parser.parse_args()
    datasets = {name: real_series(Path(args.data_dir), name, f) for name, f in REAL.items()}
    datasets[f"simulated ({args.accounts} accounts)"] = simulated_accounts(args.accounts)
    started = time.perf_counter()
    rows = [row for name, frame in datasets.items() for h in args.horizons for row in bench(name, frame, h, args)]
    table = markdown(pd.DataFrame(rows))
    print(table)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    if args.out:
        Path(args.out).write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
