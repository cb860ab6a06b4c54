"""What every section builder shares: the query context (one cursor, one snapshot, results memoised so
a breakdown read twice is the same rows), plain values, and the wording of days and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ingestion.registry import platforms as registered_platforms

ACTIVITY = "activity"   # activity in the period: what happened on the period's days
CONTENT = "content"     # content published in the period: lifetime results as of the last sync
VIEWS = {
    ACTIVITY: ("Activity in the period",
               "what happened on the period's days: the platforms' account-level daily reports (the sum of "
               "tracked posts' daily values where a platform has none), over complete days only"),
    CONTENT: ("Content published in the period",
              "lifetime results, as of the last sync, of the posts published in the period"),
}


def plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else round(float(value), 4)
    return value


@dataclass
class Ctx:
    """One report's reads: a cursor inside the report's snapshot, its parameters, a memo."""

    cur: object
    params: dict
    previous: dict
    metrics: list[str]
    by_posts: bool = False
    budget: object = None
    memo: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # section → what its tables cannot say (status, messages)

    def rows(self, sql: str, params: dict | None = None) -> list[dict]:
        params = self.params if params is None else params
        key = (sql, tuple(sorted((k, str(v)) for k, v in params.items())))
        if key not in self.memo:
            self.cur.execute(sql, params)
            names = [column.name for column in self.cur.description]
            self.memo[key] = [{k: plain(v) for k, v in zip(names, row, strict=True)} for row in self.cur.fetchall()]
        return [dict(row) for row in self.memo[key]]

    def exists(self, table: str) -> bool:
        """A table the insights layer writes may not exist yet (a fresh warehouse): ask before reading it."""
        return bool(self.rows("select to_regclass(%(table)s) is not null as present", {"table": table})[0]["present"])

    def keyed(self, sql: str, params: dict | None = None) -> dict[str, dict]:
        return {row.pop("key"): row for row in self.rows(sql, params)}


def title(platform: str) -> str:
    spec = registered_platforms().get(platform)
    return spec.title if spec else platform


def day_ranges(days: list[date] | None) -> str:
    """[14 Nov, 15 Nov, 17 Nov] → '14–15 Nov, 17 Nov' (consecutive days collapsed)."""
    if not days:
        return ""
    days = sorted(days)
    runs, first, last = [], days[0], days[0]
    for day in days[1:]:
        if day == last + timedelta(days=1):
            last = day
            continue
        runs.append((first, last))
        first = last = day
    runs.append((first, last))
    return ", ".join(_run(a, b) for a, b in runs)


def _run(a: date, b: date) -> str:
    if a == b:
        return f"{a.day} {a:%b}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}\u2013{b.day} {b:%b}"
    return f"{a.day} {a:%b} \u2013 {b.day} {b:%b}"


def join_notes(*parts) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None
