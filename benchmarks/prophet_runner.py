"""Prophet side of benchmarks/bench_forecast.py; runs in the Prophet venv (benchmarks/prophet_env.sh).

    python prophet_runner.py IN.csv CUTOFFS.csv HORIZON OUT.csv

IN: series_id, ds, y (empty y = unknown day, left out of the fit as Prophet allows). CUTOFFS:
series_id, cutoff. For each pair: fit Prophet (defaults) on the days <= cutoff, forecast the next
HORIZON days; the point is Prophet's yhat, the 80/95 % bounds are quantiles of one set of its
predictive samples (1000, its default). OUT: series_id, cutoff, ds, point, lower_80 … upper_95,
seconds (that pair's fit + predict, wall clock).
"""

from __future__ import annotations

import logging
import sys
import time
import warnings

import numpy as np
import pandas as pd
from prophet import Prophet

logging.getLogger("cmdstanpy").disabled = True
logging.getLogger("prophet").setLevel(logging.ERROR)
warnings.simplefilter("ignore")


def run(frame: pd.DataFrame, cutoffs: pd.DataFrame, horizon: int) -> pd.DataFrame:
    parts = []
    for series_id, cutoff in cutoffs.itertuples(index=False):
        history = frame[(frame.series_id == series_id) & (frame.ds <= cutoff)].dropna(subset=["y"])
        future = pd.DataFrame({"ds": pd.date_range(cutoff + pd.Timedelta(days=1), periods=horizon)})
        started = time.perf_counter()
        model = Prophet()
        model.fit(history[["ds", "y"]])
        samples = model.uncertainty_samples
        model.uncertainty_samples = 0          # the point without a second sampling pass
        point = model.predict(future)["yhat"].to_numpy()
        model.uncertainty_samples = samples
        draws = model.predictive_samples(future)["yhat"]
        seconds = time.perf_counter() - started
        q = np.quantile(draws, [0.025, 0.10, 0.90, 0.975], axis=1)
        parts.append(pd.DataFrame({
            "series_id": series_id, "cutoff": cutoff, "ds": future.ds, "point": point,
            "lower_80": q[1], "upper_80": q[2], "lower_95": q[0], "upper_95": q[3], "seconds": seconds,
        }))
    return pd.concat(parts, ignore_index=True)


if __name__ == "__main__":
    source, cutoff_file, horizon, target = sys.argv[1:5]
    frame = pd.read_csv(source, parse_dates=["ds"], dtype={"series_id": str})
    cutoffs = pd.read_csv(cutoff_file, parse_dates=["cutoff"], dtype={"series_id": str})
    run(frame, cutoffs, int(horizon)).to_csv(target, index=False)
