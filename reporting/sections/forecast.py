"""The forecast section: followers and views of each account in scope, its latest forecast
(`marts.mart_forecasts`: point, 80 % and 95 % intervals, the model and its backtest) and the
history drawn under it (complete days of `marts.fct_account_metrics_daily`).

Three tables: `forecast_summary` (one row per account × metric: model, backtest, the 7/30/90-day
values, or why there is no forecast), `forecasts` (every forecast row, as in the mart) and
`forecast_history` (the known days the charts draw, charted accounts only). A series without a forecast says why in its
`note`; it is never drawn or printed as 0.
"""

from __future__ import annotations

from datetime import timedelta

from reporting.queries import activity
from reporting.queries import insights as queries
from reporting.sections.common import Ctx

METRICS = ("followers", "views")
HORIZONS = (7, 30, 90)
CHART_ACCOUNTS = 5    # the PDF draws the accounts with the most followers at the period end; the CSV has all
HISTORY_DAYS = 60     # at least this many days of history before the forecast starts
TABLE = "marts.mart_forecasts"
MART_COLUMNS = ("made_on", "history_start", "history_end", "history_days", "target_date", "horizon_days", "point",
                "lower_80", "upper_80", "lower_95", "upper_95", "model", "backtest_horizon_days",
                "backtest_windows", "backtest_smape", "backtest_mase", "baseline_smape", "baseline_mase", "note")
TABLES = ("forecast_summary", "forecasts", "forecast_history")
DEFINITIONS = {
    "forecast": "The latest forecast (made_on) of an account's followers (the count at the end of each day) and "
                "daily views (complete days), 1 to 90 days past its last observed day (history_end), from "
                "marts.mart_forecasts. A series without a forecast says why in its note (too short a history, or "
                "the forecast job has not run); it is never drawn or printed as 0.",
    "point": "The forecast's central value for target_date (same unit as the metric: followers, or views per day).",
    "80 % interval": "lower_80 … upper_80: the true value should fall inside 80 % of the time (the dark band of "
                     "the chart); lower_95 … upper_95 (light band): 95 % of the time. Counts cannot go negative, so "
                     "a lower bound stops at 0.",
    "model": "The forecasting model chosen for the series by a rolling-origin backtest (the candidate with the "
             "lowest error on the last backtest_windows windows of backtest_horizon_days days), or the short-history "
             "baseline (see note).",
    "backtest_smape": "Symmetric mean absolute percentage error of the chosen model in the backtest, in %: mean of "
                      "2·|actual − forecast| ÷ (|actual| + |forecast|) × 100. baseline_smape: the same for the "
                      "seasonal naive forecast (the value of the same weekday a week earlier) on the same windows.",
    "backtest_mase": "Mean absolute scaled error: the model's mean absolute error ÷ the in-sample mean absolute error "
                     "of the seasonal naive forecast; below 1 = better than repeating last week. baseline_mase: the "
                     "seasonal naive forecast's own MASE on the backtest windows.",
    "history_days": "Days with a known value between history_start and history_end that the forecast was fit on.",
}
BACKTEST = ("backtest_horizon_days", "backtest_windows", "backtest_smape", "backtest_mase", "baseline_smape",
            "baseline_mase")


def window(params: dict, forecasts: list[dict]) -> tuple:
    """The chart's days: the report's period and at least HISTORY_DAYS before the forecasts start."""
    end = max([params["end"], *(r["history_end"] for r in forecasts)])
    return min(params["start"], end - timedelta(days=HISTORY_DAYS - 1)), end


def ranked_accounts(ctx: Ctx) -> list[dict]:
    """Accounts in scope, most followers at the period end first (unknown followers last)."""
    rows = ctx.rows(activity.FOLLOWERS)
    return sorted(rows, key=lambda r: (r["end_followers"] is None, -(r["end_followers"] or 0), r["platform"],
                                       r["account_name"] or "", r["account_id"]))


def _missing_note(status: str, made_on, span: dict | None, metric: str, end) -> str:
    if status == "absent":
        return f"no forecast: forecasts have not been computed yet ({TABLE} does not exist)"
    if status == "empty":
        return f"no forecast: {TABLE} has no forecasts yet (the forecast job has not run)"
    days = (span or {}).get(f"{metric}_days") or 0
    known = (f"{days} known day(s) of history, {span[f'{metric}_from']} to {span[f'{metric}_to']}" if days
             else f"no known history through {end}")
    return f"no forecast for this series in the latest forecasts (made on {made_on}): {known}"


def summary_row(rank: int, account: dict, metric: str, rows: list[dict], note: str | None) -> dict:
    first = rows[0] if rows else {}
    out = {"rank": rank, "platform": account["platform"], "account_id": account["account_id"],
           "account_name": account["account_name"], "metric": metric, "is_charted": rank <= CHART_ACCOUNTS,
           "has_forecast": bool(rows), "model": first.get("model"), "made_on": first.get("made_on"),
           "history_start": first.get("history_start"), "history_end": first.get("history_end"),
           "history_days": first.get("history_days"), **{k: first.get(k) for k in BACKTEST}}
    at = {r["horizon_days"]: r for r in rows}
    for horizon in HORIZONS:
        row = at.get(horizon, {})
        out |= {f"target_date_{horizon}d": row.get("target_date"), f"point_{horizon}d": row.get("point"),
                f"lower_80_{horizon}d": row.get("lower_80"), f"upper_80_{horizon}d": row.get("upper_80")}
    out["note"] = first.get("note") if rows else note
    return out


def build(ctx: Ctx) -> dict[str, list[dict]]:
    """{'forecast_summary', 'forecasts', 'forecast_history'}; the status goes to ctx.notes['forecast']."""
    status = "absent" if not ctx.exists(TABLE) else "ok"
    params = ctx.params | {"fc_metrics": list(METRICS)}
    forecasts = ctx.rows(queries.FORECASTS, params) if status == "ok" else []
    if status == "ok" and not forecasts and not ctx.rows(queries.FORECAST_ROWS)[0]["rows"]:
        status = "empty"
    start, end = window(ctx.params, forecasts)
    params |= {"fc_start": start, "fc_end": end}
    spans = {r["account_key"]: r for r in ctx.rows(queries.HISTORY_SPAN, params)}
    made_on = max((r["made_on"] for r in forecasts), default=None)
    series: dict[tuple, list[dict]] = {}
    for row in forecasts:
        series.setdefault((row["account_key"], row["metric"]), []).append(row)
    accounts = ranked_accounts(ctx)
    summary = [summary_row(rank, account, metric, series.get((account["account_key"], metric), []),
                            _missing_note(status, made_on, spans.get(account["account_key"]), metric, end))
               for rank, account in enumerate(accounts, 1) for metric in METRICS]
    charted = {a["account_key"]: a for a in accounts[:CHART_ACCOUNTS]}  # the history the charts draw
    history = [{"platform": charted[r["account_key"]]["platform"], "account_id": charted[r["account_key"]]["account_id"],
                "metric": metric, "metric_date": r["metric_date"], "value": r[metric]}
               for r in ctx.rows(queries.HISTORY, params) if r["account_key"] in charted
               for metric in METRICS if r[metric] is not None]
    ctx.notes["forecast"] = {
        "status": status, "made_on": made_on, "window_start": start, "window_end": end,
        "charted_accounts": [f"{a['account_name']} ({a['platform']})" for a in accounts[:CHART_ACCOUNTS]],
        "accounts": len(accounts), "series_with_forecast": sum(1 for r in summary if r["has_forecast"]),
        "series": len(summary)}
    rows = [{"platform": r["platform"], "account_id": r["account_id"], "account_name": r["account_name"],
             "metric": r["metric"], **{k: r[k] for k in MART_COLUMNS}} for r in forecasts]
    return {"forecast_summary": summary, "forecasts": rows, "forecast_history": history}
