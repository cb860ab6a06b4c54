"""`tidemark insights detect`: the pipeline's anomaly detector on a CSV, with an optional NAB evaluation.

    tidemark insights detect --csv FILE [FILE …] --timestamp-col T --value-col V [--id-col I]
                             [--labels LABELS.json] [--threshold X] [--min-change M] [--window W] [--out FILE]

Prints the anomalies (time, value, expected, score, direction, reason); with --labels (NAB's
format) precision, recall and F1 by window and the NAB standard score (docs/insights-anomalies.md).
"""

from __future__ import annotations

import sys

import pandas as pd

from insights.anomalies import DetectorSettings, detect
from insights.anomalies.detector import minimum_points
from insights.anomalies.labels import read_labels, windows_for
from insights.anomalies.nab import evaluate, score_detections
from insights.anomalies.reason import number
from insights.frames import InsightsInputError
from insights.series import infer_freq, read_series_csv, require_points

USAGE_ERROR = 2


def cmd_detect(args) -> int:
    try:
        return _run(args)
    except InsightsInputError as error:
        print(f"tidemark insights: {error}", file=sys.stderr)
        return USAGE_ERROR


def _run(args) -> int:
    settings = DetectorSettings(threshold=args.threshold, min_change=args.min_change, window=args.window)
    labels = read_labels(args.labels) if args.labels else None
    results, scores, written = [], [], []
    for csv in args.csv:        # several files: each judged on its own, evaluated together (a NAB corpus)
        frame = read_series_csv(csv, args.timestamp_col, args.value_col, args.id_col)
        windows = windows_for(labels, csv, args.labels) if labels is not None else None
        require_points(frame, minimum_points(settings, infer_freq(frame)), "anomaly detection")
        judged = detect(frame, settings, metric=args.value_col)
        _print_anomalies(judged, csv if len(args.csv) > 1 else None, frame.series_id.nunique() > 1)
        results.append(judged.assign(file=str(csv)) if len(args.csv) > 1 else judged)
        if windows is not None:
            scores += score_detections(frame, judged, windows)
        written.append(frame.series_id.nunique())
    judged = pd.concat(results, ignore_index=True)
    count = int(judged.is_anomaly.sum())
    print(f"{count} anomal{'y' if count == 1 else 'ies'} in {len(judged)} points judged "
          f"({sum(written)} series, threshold {settings.threshold})")
    if args.out:
        judged.to_csv(args.out, index=False)
        print(f"every judged point written to {args.out}")
    if labels is not None:
        result = evaluate(scores)
        print(f"labels: {result.windows} window(s), {result.detected_windows} detected, "
              f"{result.false_alarms} false alarm(s) ({result.false_positive_points} point(s) outside windows)")
        print(f"precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}  "
              f"NAB standard score {result.nab_score:.1f} (null detector 0, perfect 100)")
    return 0


def _print_anomalies(judged: pd.DataFrame, csv: str | None, several: bool) -> None:
    daily = (judged.ds == judged.ds.dt.normalize()).all()
    for row in judged[judged.is_anomaly].itertuples():
        where = (f"{csv}  " if csv else "") + (f"{row.series_id}  " if several else "")
        print(f"{where}{row.ds:{'%Y-%m-%d' if daily else '%Y-%m-%d %H:%M'}}  value {number(row.y)}  "
              f"expected {number(row.expected)}  score {row.score:+.1f}  {row.direction}  {row.reason}")


def add_parser(commands) -> None:
    parser = commands.add_parser("detect", help="anomalies in a CSV's series; with --labels, NAB evaluation")
    parser.add_argument("--csv", required=True, nargs="+",
                        help="the data file (several: each judged alone, evaluated together)")
    parser.add_argument("--timestamp-col", required=True, help="the column of dates or times")
    parser.add_argument("--value-col", required=True, help="the column of values (empty cell: unknown)")
    parser.add_argument("--id-col", help="a column naming the series, when the file holds several")
    parser.add_argument("--labels", help="NAB labels JSON: {data file: [[start, end], …]}")
    defaults = DetectorSettings()
    parser.add_argument("--threshold", type=float, default=defaults.threshold,
                        help=f"robust z above which a point is anomalous (default {defaults.threshold})")
    parser.add_argument("--min-change", type=float, default=defaults.min_change,
                        help="minimum |value - expected| for an anomaly (default 0)")
    parser.add_argument("--window", type=int, default=defaults.window,
                        help=f"trailing steps the baseline learns from (default {defaults.window})")
    parser.add_argument("--out", help="write every judged point (expected, band, score, reason) to this CSV")
    parser.set_defaults(func=cmd_detect)
