"""The anomalies section: the account- and post-level anomalies observed in the period
(`marts.mart_anomalies`, written by the insights layer), most severe first, each with its reason in
words, direction and value vs expected. The table has every anomaly; the PDF prints the first
`PDF_ROWS` and says how many more the CSV has.
"""

from __future__ import annotations

from datetime import UTC

from reporting.queries import insights as queries
from reporting.sections.common import Ctx

TABLE = "marts.mart_anomalies"
PDF_ROWS = 15
COLUMNS = ("level", "platform", "account_id", "account_name", "post_id", "post_title", "metric", "observed_on",
           "direction", "value", "expected", "lower_bound", "upper_bound", "ratio", "score", "severity",
           "likely_cause", "reason", "method", "detected_at", "anomaly_id")

TABLES = ("anomalies",)
DEFINITIONS = {
    "anomaly": "An account day (views, engagements, net followers …) or a post day whose value lies far outside "
               "the range expected from its own history (marts.mart_anomalies); reason says it in words.",
    "expected": "The value the detector expected for that day (e.g. the usual level for that weekday, or for a post "
                "at that age); lower_bound … upper_bound: the range it judged normal.",
    "ratio": "value ÷ expected (empty when expected is 0 or unknown).",
    "severity": "How far outside the normal range the value is: |score|, the robust z-score of the day's residual "
                "(the distance from expected in units of the series' typical deviation). Anomalies are sorted by it.",
    "direction": "spike (above the expected range) or drop (below it).",
    "likely_cause": "For drops: 'broken connection' (data stopped arriving) or 'real decline' — which is likelier.",
}


def checked_text(series: list[dict]) -> str | None:
    """'account views, engagements; post views' — the series the detector has judged, as far as it is known."""
    levels: dict[str, list[str]] = {}
    for row in series:
        levels.setdefault(row["level"], []).append(row["metric"])
    return "; ".join(f"{level} {', '.join(metrics)}" for level, metrics in sorted(levels.items())) or None


def build(ctx: Ctx) -> dict[str, list[dict]]:
    """{'anomalies': rows}; the status and the series checked go to ctx.notes['anomalies']."""
    if not ctx.exists(TABLE):
        ctx.notes["anomalies"] = {"status": "absent", "anomalies": 0, "checked": None, "last_detected_at": None,
                                  "message": f"Anomaly detection has not run yet ({TABLE} does not exist)."}
        return {"anomalies": []}
    rows = [{k: r[k] for k in COLUMNS} for r in ctx.rows(queries.ANOMALIES)]
    series = ctx.rows(queries.ANOMALY_SERIES)
    checked = checked_text(series)
    last = max((r["last_detected_at"] for r in series), default=None)
    if rows:
        message = f"{len(rows)} anomal{'y' if len(rows) == 1 else 'ies'} detected in this period."
    else:
        message = "No anomalies detected in this period."
    if checked:
        message += (f" Series the detector reports on for these accounts: {checked} (last run "
                    f"{last.astimezone(UTC):%Y-%m-%d %H:%M} UTC).")
    ctx.notes["anomalies"] = {"status": "ok", "anomalies": len(rows), "checked": checked,
                              "last_detected_at": last, "message": message}
    return {"anomalies": rows}
