"""One read of the marts per report: every number every format shows comes from here.

All queries run in one read-only REPEATABLE READ transaction, so they see one snapshot of the
marts even if dbt rebuilds them meanwhile; `statement_timeout` follows the report's deadline.
The result (`ReportData`) is plain data that the CSV, JSON and PDF writers only render.

Each report type lists its sections (`SECTIONS`); a section is a function of the query context
and the coverage that returns its rows (or several named tables). Every table is one of two views,
named in `TABLE_VIEWS` and stated wherever it is printed: *activity in the period* and *content
published in the period*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from reporting.insights import build_insights, highlights
from reporting.metrics import DEFAULT_METRICS, definitions_for
from reporting.periods import Period
from reporting.sections import (
    activity,
    anomalies,
    benchmarks,
    compare,
    content,
    forecast,
    growth,
    recommendations,
    recycling,
    roi,
)
from reporting.sections import coverage as coverage_section
from reporting.sections.common import Ctx

SECTIONS = {
    "performance": ("platforms", "accounts", "daily_trend", "top_posts", "formats", "posts", "posting_times",
                    "forecast", "anomalies", "recommendations", "recycling"),
    "growth": ("follower_growth", "audience_growth", "engagement_trend", "posting_velocity", "audience_quality",
               "forecast", "anomalies"),
    "comparison": ("platform_comparison", "period_comparison", "platform_formats", "formats", "benchmarks", "roi"),
    "custom": ("platforms", "accounts", "daily_trend", "top_posts", "formats", "posts", "posting_times",
               "audience_growth", "posting_velocity"),
}
BUILDERS = {
    "platforms": activity.platforms,
    "accounts": activity.accounts,
    "daily_trend": lambda ctx, cov: activity.daily_trend(ctx),
    "top_posts": lambda ctx, cov: content.top_posts(ctx),
    "formats": lambda ctx, cov: content.formats(ctx),
    "platform_formats": lambda ctx, cov: content.platform_formats(ctx),
    "posts": lambda ctx, cov: content.posts(ctx),
    "posting_times": lambda ctx, cov: content.posting_times(ctx),
    "posting_velocity": lambda ctx, cov: content.posting_velocity(ctx),
    "follower_growth": lambda ctx, cov: growth.follower_growth(ctx),
    "audience_growth": lambda ctx, cov: growth.audience_growth(ctx),
    "engagement_trend": lambda ctx, cov: growth.engagement_trend(ctx),
    "audience_quality": lambda ctx, cov: growth.audience_quality(
        ctx, [r for r in cov["rows"] if r["level"] == "platform"]),
    "platform_comparison": compare.platform_comparison,
    "period_comparison": lambda ctx, cov: compare.period_comparison(ctx),
    "forecast": lambda ctx, cov: forecast.build(ctx),
    "anomalies": lambda ctx, cov: anomalies.build(ctx),
    "recycling": lambda ctx, cov: recycling.build(ctx),
    "roi": lambda ctx, cov: roi.build(ctx),
    "recommendations": lambda ctx, cov: recommendations.build(ctx),
    "benchmarks": lambda ctx, cov: benchmarks.build(ctx),
}
# table → the view it shows: "activity", "content", "both" (activity + content_* columns) or "all_posts"
TABLE_VIEWS = {
    "summary": "both", "comparison": "both", "platforms": "both", "accounts": "both", "daily_trend": "activity",
    "top_posts": "content", "formats": "content", "platform_formats": "content", "posts": "content",
    "posting_times": "all_posts", "posting_grid": "all_posts", "posting_velocity": "content",
    "follower_growth": "activity", "audience_growth": "activity", "engagement_trend": "activity",
    "audience_quality": "activity", "platform_comparison": "both", "period_comparison": "activity",
    "coverage": "coverage", "post_metrics_daily": "post_days",
    "forecast_summary": "forecast", "forecasts": "forecast", "forecast_history": "forecast_history",
    "anomalies": "anomalies",
    "recycling": "recycling",
    "roi": "roi",
    "recommendations": "recommendations",
    "benchmarks": "benchmarks",
}
VIEW_LABELS = {
    "activity": "Activity in the period",
    "content": "Content published in the period",
    "both": "Activity in the period + content published in the period (content_* columns)",
    "all_posts": "Content: every tracked post of the account (lifetime engagement rates)",
    "coverage": "Data coverage",
    "post_days": "Post-level daily values of tracked posts (estimated where the platform has no per-post days)",
    "forecast": "Forecast: the latest forecast of each account's followers and daily views (marts.mart_forecasts)",
    "forecast_history": "Forecast history: the known days drawn under each forecast (complete days only)",
    "anomalies": "Anomalies observed in the period: account and post days far from their expected value "
                 "(marts.mart_anomalies)",
    "recycling": "Content to recycle: every tracked post old enough, scored on the latest run (marts.mart_recycling_candidates)",
    "roi": "ROI by month: declared costs (costs.yaml) against activity on complete days (marts.mart_roi)",
    "recommendations": "Recommendations: the latest run's insights with their confidence and evidence (marts.mart_insights)",
    "benchmarks": "Benchmarks: own accounts vs competitors (public counts) in the ISO week and the month of the "
                  "period's last day (marts.mart_competitor_benchmarks)",
}
TREND_DAYS = 30
VELOCITY_WEEKS = 12


@dataclass(frozen=True)
class Scope:
    platforms: list[str] | None = None
    accounts: list[str] | None = None
    post_formats: list[str] | None = None
    hashtags: list[str] | None = None
    min_views: int = 100
    top_n: int = 10
    workspace: str | None = None  # the report's workspace: every query reads only its rows
    competitors: list[str] | None = None  # the workspace's competitor handles (benchmarks)

    @property
    def by_posts(self) -> bool:
        """Post filters: activity can only be the matching posts' daily values (an account report cannot be split)."""
        return bool(self.post_formats or self.hashtags)

    def params(self, period: Period) -> dict:
        trend_start = min(period.start, period.end - timedelta(days=TREND_DAYS - 1))
        previous = period.previous()
        weeks_start = period.end - timedelta(days=period.end.weekday() + 7 * (VELOCITY_WEEKS - 1))
        return {"start": period.start, "end": period.end, "trend_start": trend_start,
                "prev_start": previous.start, "prev_end": previous.end, "weeks_start": weeks_start,
                "platforms": self.platforms or None, "accounts": self.accounts or None,
                "workspace": self.workspace, "competitors": self.competitors,
                "formats": self.post_formats or None, "hashtags": [h.lower().lstrip("#") for h in self.hashtags or []]
                or None, "min_views": self.min_views, "top_n": self.top_n, "best_slots": 3}


@dataclass
class ReportData:
    report_type: str
    period: Period
    metrics: list[str]
    totals: dict
    comparison: list[dict]
    tables: dict[str, list[dict]]
    coverage: dict = field(default_factory=lambda: {"rows": [], "lines": [], "simulated": {}})
    highlights: dict = field(default_factory=dict)
    insights: list[str] = field(default_factory=list)
    definitions: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # section → its status and messages (forecast, anomalies)

    @property
    def simulated(self) -> dict:
        return self.coverage.get("simulated") or {"contains_simulated_data": False, "simulated_accounts": 0,
                                                  "accounts": 0}

    @property
    def table_views(self) -> dict[str, str]:
        return {name: VIEW_LABELS[TABLE_VIEWS.get(name, "both")] for name in ("summary", "comparison", *self.tables)}


def collect(conn, report_type: str, period: Period, scope: Scope, metrics: list[str] | None = None,
            budget=None) -> ReportData:
    """Every number of one report, read in one snapshot of the marts."""
    metrics = list(metrics or DEFAULT_METRICS)
    tables: dict[str, list[dict]] = {}
    with conn.cursor() as cur:
        _snapshot(cur, budget)
        ctx = Ctx(cur, scope.params(period), scope.params(period.previous()), metrics, scope.by_posts, budget)
        coverage = coverage_section.build(ctx)
        totals = {k: v.isoformat() if isinstance(v, date) else v  # plain JSON (also the asset's metadata)
                  for k, v in activity.totals(ctx, coverage).items()}
        comparison = activity.comparison(ctx, totals)
        for name in SECTIONS[report_type]:
            if budget:
                budget.check_time(f"querying {name}")
            result = BUILDERS[name](ctx, coverage)
            tables.update(result if isinstance(result, dict) else {name: result})
    if scope.by_posts:
        coverage["lines"].insert(0, "Post filters are set: activity is the sum of the matching posts' daily "
                                    "values (an account-level report cannot be split by format or hashtag).")
    data = ReportData(report_type, period, metrics, totals, comparison, tables,
                      coverage={k: coverage[k] for k in ("rows", "lines", "simulated")},
                      definitions=_definitions(metrics, tables), notes=ctx.notes)
    data.highlights = highlights(data)
    data.insights = build_insights(data)
    return data


def _definitions(metrics: list[str], tables: dict) -> dict[str, str]:
    """The chosen metrics' definitions, the common terms, and the terms of the sections present."""
    out = definitions_for(metrics)
    for module in (forecast, anomalies, recycling, roi, recommendations):
        if any(name in tables for name in module.TABLES):
            out |= module.DEFINITIONS
    return out


def _snapshot(cur, budget) -> None:
    """One consistent, read-only view of the marts for every query of the report."""
    if cur.connection.status != 1:  # a transaction is open: end it so the isolation level applies
        cur.connection.commit()
    cur.execute("set transaction isolation level repeatable read, read only")
    if budget:
        cur.execute("select set_config('statement_timeout', %s, true)", (str(budget.statement_timeout_ms()),))
