"""`tidemark insights backtest | forecast | detect`: the pipeline's forecaster and detector on any CSV.

    tidemark insights backtest --csv FILE --date-col C --value-col V [--id-col I] --horizon H
    tidemark insights forecast --csv FILE --date-col C --value-col V [--id-col I] --horizon H [--out F]
    tidemark insights detect   --csv FILE [FILE …] --timestamp-col T --value-col V [--id-col I] [--labels LABELS.json]
                               [--threshold X] [--min-change M] [--window W] [--out F]

Same code as the pipeline's assets (insights/); docs/insights.md explains the output.
"""

from __future__ import annotations

from tidemark.commands import insights_detect, insights_forecast


def add_parser(sub) -> None:
    parser = sub.add_parser("insights", help="forecasts and anomaly detection on a CSV (the pipeline's code)")
    commands = parser.add_subparsers(dest="insights_command", required=True)
    insights_forecast.add_parsers(commands)
    insights_detect.add_parser(commands)
