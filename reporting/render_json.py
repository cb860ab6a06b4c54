"""JSON: the whole report as one nested document (metadata, coverage, totals, per-platform data, tables).

An unknown value is null, with the reason in the object's `note`; `metadata` carries
`contains_simulated_data` and the number of simulated accounts, `views` names each table's view;
`sections` says what the forecast and anomalies tables cannot (status, the series checked);
`tables.forecasts` is nested per series (`columns` + `days`).
"""

from __future__ import annotations

import json
from pathlib import Path


def _by_platform(data) -> dict:
    """platform → its totals, coverage, accounts, formats, top posts and audience: the API-friendly nesting."""
    tables = data.tables
    totals = {r["platform"]: r for r in tables.get("platforms") or tables.get("platform_comparison") or []}
    nested = {}
    for row in data.coverage["rows"]:
        if row["level"] != "platform":
            continue
        platform = row["platform"]
        nested[platform] = {
            "totals": {k: v for k, v in totals.get(platform, {}).items() if k != "platform"},
            "coverage": {k: v for k, v in row.items() if k not in ("level", "platform")},
            "accounts": [r for r in tables.get("accounts", []) if r["platform"] == platform],
            "formats": [r for r in tables.get("platform_formats", []) if r["platform"] == platform],
            "top_posts": [r for r in tables.get("top_posts", []) if r["platform"] == platform],
            "follower_growth": [r for r in tables.get("follower_growth", []) if r["platform"] == platform],
            "audience_growth": [r for r in tables.get("audience_growth", []) if r["platform"] == platform],
            "forecasts": [r for r in tables.get("forecast_summary", []) if r["platform"] == platform],
            "anomalies": [r for r in tables.get("anomalies", []) if r["platform"] == platform],
        }
    return nested


SERIES_KEYS = ("platform", "account_id", "account_name", "metric")
DAY_KEYS = ("target_date", "horizon_days", "point", "lower_80", "upper_80", "lower_95", "upper_95")


def forecast_series(rows: list[dict]) -> list[dict]:
    """Forecast rows nested per series: what is constant per series once, then one short list per day
    (90 days × every account would otherwise repeat the model, backtest and note on every row)."""
    series: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[k] for k in SERIES_KEYS)
        if key not in series:
            series[key] = {k: v for k, v in row.items() if k not in DAY_KEYS} | {"columns": list(DAY_KEYS),
                                                                                  "days": []}
        series[key]["days"].append([row[k] for k in DAY_KEYS])
    return list(series.values())


def document(data, meta: dict, summary: str) -> dict:
    return {
        "metadata": meta | data.simulated,
        "definitions": data.definitions,
        "views": data.table_views,
        "coverage": {
            "summary": data.coverage["lines"],
            "platforms": [r for r in data.coverage["rows"] if r["level"] == "platform"],
            "accounts": [r for r in data.coverage["rows"] if r["level"] == "account"],
        },
        "totals": data.totals,
        "comparison": data.comparison,
        "highlights": data.highlights,
        "insights": data.insights,
        "summary_text": summary,
        "platforms": _by_platform(data),
        "sections": data.notes,
        "tables": data.tables | ({"forecasts": forecast_series(data.tables["forecasts"])}
                                 if "forecasts" in data.tables else {}),
    }


def write_json(data, meta: dict, summary: str, directory: Path, budget=None) -> Path:
    path = directory / "report.json"
    path.write_text(json.dumps(document(data, meta, summary), indent=2, default=str, ensure_ascii=False))
    if budget:
        budget.add_bytes(path.stat().st_size, path.name)
    return path
