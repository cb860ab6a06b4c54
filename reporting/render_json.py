"""JSON: the whole report as one nested document (metadata, totals, per-platform data, tables)."""

from __future__ import annotations

import json
from pathlib import Path


def _by_platform(data) -> dict:
    """platform → its totals, accounts, formats and top posts: the API-friendly nesting."""
    tables = data.tables
    nested = {}
    for row in tables.get("platforms", []):
        platform = row["platform"]
        nested[platform] = {
            "totals": {k: v for k, v in row.items() if k != "platform"},
            "accounts": [r for r in tables.get("accounts", []) if r["platform"] == platform],
            "formats": [r for r in tables.get("platform_formats", []) if r["platform"] == platform],
            "top_posts": [r for r in tables.get("top_posts", []) if r["platform"] == platform],
            "audience_growth": [r for r in tables.get("audience_growth", []) if r["platform"] == platform],
        }
    return nested


def document(data, meta: dict, summary: str) -> dict:
    return {
        "metadata": meta,
        "definitions": data.definitions,
        "totals": data.totals,
        "previous_totals": data.previous,
        "comparison": data.comparison,
        "highlights": data.highlights,
        "insights": data.insights,
        "summary_text": summary,
        "platforms": _by_platform(data),
        "tables": data.tables,
    }


def write_json(data, meta: dict, summary: str, directory: Path, budget=None) -> Path:
    path = directory / "report.json"
    path.write_text(json.dumps(document(data, meta, summary), indent=2, default=str, ensure_ascii=False))
    if budget:
        budget.add_bytes(path.stat().st_size, path.name)
    return path
