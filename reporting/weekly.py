"""The weekly performance report: numbers from the marts, written as CSV and JSON.

Every number comes from one set of query results (`collect`), which every format renders —
formats can never disagree. Definitions of the numbers travel with the files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reporting.periods import Period

DEFINITIONS = {
    "views": "Views in the period (sum of daily views of the platform's daily reports).",
    "engagements": "likes + comments + shares + saves in the period (see docs/metrics.md for each platform).",
    "engagement_rate": "engagements ÷ views × 100, in %; empty when views are 0 or unknown.",
    "posts_published": "Posts whose publish date (account time zone) falls in the period.",
    "change_pct": "(this period − previous period) ÷ previous period × 100; empty when the previous value is 0.",
    "top_posts": "Posts ranked by engagement rate over the period, among posts with at least 100 views in it.",
}
MIN_VIEWS_FOR_RANKING = 100

TOTALS_SQL = """
    select
        coalesce(sum(views), 0) as views,
        coalesce(sum(engagements), 0) as engagements,
        coalesce(sum(likes), 0) as likes,
        coalesce(sum(comments), 0) as comments,
        coalesce(sum(shares), 0) as shares,
        coalesce(sum(watch_time_minutes), 0) as watch_time_minutes
    from marts.fct_post_metrics_daily
    where metric_date between %(start)s and %(end)s
"""
BY_PLATFORM_SQL = """
    select platform, coalesce(sum(views), 0) as views, coalesce(sum(engagements), 0) as engagements
    from marts.fct_post_metrics_daily
    where metric_date between %(start)s and %(end)s
    group by platform order by platform
"""
POSTS_SQL = """
    select count(*) as posts_published from marts.dim_posts
    where published_date_local between %(start)s and %(end)s
"""
TOP_POSTS_SQL = """
    select posts.post_key, posts.platform, posts.format, posts.title, posts.permalink,
           sum(daily.views) as views, sum(daily.engagements) as engagements
    from marts.fct_post_metrics_daily as daily
    inner join marts.dim_posts as posts on daily.post_key = posts.post_key
    where daily.metric_date between %(start)s and %(end)s
    group by 1, 2, 3, 4, 5
    having sum(daily.views) >= %(min_views)s
    order by sum(daily.engagements)::numeric / sum(daily.views) desc, posts.post_key
    limit 10
"""


def _rate(numerator: float, denominator: float) -> float | None:
    return None if not denominator else round(numerator / denominator * 100, 4)


def _change(current: float, previous: float) -> float | None:
    return None if not previous else round((current - previous) / previous * 100, 2)


def _rows(conn, query: str, params: dict) -> list[dict]:
    with conn.cursor() as cur:
        cur.execute(query, params)
        names = [column.name for column in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    conn.commit()
    return [{k: (float(v) if hasattr(v, "as_integer_ratio") and not isinstance(v, int) else v) for k, v in r.items()}
            for r in rows]


def collect(conn, period: Period) -> dict:
    """All numbers of the report, from one read of the marts."""
    def totals(p: Period) -> dict:
        params = {"start": p.start, "end": p.end}
        row = _rows(conn, TOTALS_SQL, params)[0] | _rows(conn, POSTS_SQL, params)[0]
        row["engagement_rate"] = _rate(row["engagements"], row["views"])
        return row

    current, previous = totals(period), totals(period.previous())
    params = {"start": period.start, "end": period.end, "min_views": MIN_VIEWS_FOR_RANKING}
    platforms = _rows(conn, BY_PLATFORM_SQL, params)
    for row in platforms:
        row["engagement_rate"] = _rate(row["engagements"], row["views"])
    top = _rows(conn, TOP_POSTS_SQL, params)
    for rank, row in enumerate(top, start=1):
        row["rank"] = rank
        row["engagement_rate"] = _rate(row["engagements"], row["views"])
    comparison = [
        {"metric": key, "current": current[key], "previous": previous[key],
         "change": current[key] - previous[key], "change_pct": _change(current[key], previous[key])}
        for key in ("posts_published", "views", "engagements")
    ]
    return {"totals": current, "previous_totals": previous, "comparison": comparison,
            "platforms": platforms, "top_posts": top}


@dataclass(frozen=True)
class WrittenReport:
    directory: Path
    files: dict[str, str]
    size_bytes: int


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def write(data: dict, meta: dict, directory: Path) -> WrittenReport:
    """Write all formats into a temp dir, then swap it in: a crash never leaves half a report."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=directory.parent))
    tables = {
        "summary.csv": [data["totals"] | {"period_start": meta["period_start"], "period_end": meta["period_end"]}],
        "comparison.csv": data["comparison"],
        "platforms.csv": data["platforms"],
        "top_posts.csv": data["top_posts"],
        "definitions.csv": [{"metric": k, "definition": v} for k, v in DEFINITIONS.items()],
    }
    for name, rows in tables.items():
        (staging / name).write_text(_csv(rows))
    document = {"metadata": meta | {"definitions": DEFINITIONS}, **data}
    (staging / "report.json").write_text(json.dumps(document, indent=2, default=str))
    if directory.exists():
        shutil.rmtree(directory)
    os.replace(staging, directory)
    files = {path.name: str(path) for path in sorted(directory.iterdir())}
    return WrittenReport(directory, files, sum(path.stat().st_size for path in directory.iterdir()))


def generated_meta(workspace_id: str, period: Period, generated_at: datetime, run_id: str) -> dict:
    return {
        "report": "weekly_performance",
        "workspace": workspace_id,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "generated_at": generated_at.isoformat(),
        "run_id": run_id,
        "units": {"watch_time_minutes": "minutes", "engagement_rate": "percent"},
    }
