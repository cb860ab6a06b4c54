"""Hand-made frames for the alert tests: one account's posts with a known views-by-age curve."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from core.workspace import AlertSettings

FIRST = date(2026, 8, 1)


def curve(age: int, scale: float = 1.0) -> float:
    """Views of an ordinary post on a day of its life: a launch, then a decay to a floor."""
    return round(scale * (5000 * 0.6 ** age + 400))


def post_days(n_posts: int = 12, every: int = 3, days: int = 60, boost: dict | None = None,
              scale_of=lambda i: 1.0 + 0.02 * (i % 5)) -> pd.DataFrame:
    """`n_posts` posts of one YouTube account published every `every` days from FIRST, each with a
    row per day up to FIRST + days; `boost` {(post index, age): factor} multiplies chosen days."""
    boost = boost or {}
    rows = []
    for i in range(n_posts):
        published = FIRST + timedelta(days=i * every)
        for age in range((FIRST + timedelta(days=days) - published).days + 1):
            views = curve(age, scale_of(i)) * boost.get((i, age), 1.0)
            rows.append({"platform": "youtube", "account_id": "UC1", "post_id": f"p{i:02d}",
                         "published_on": published, "metric_date": published + timedelta(days=age),
                         "views": float(views), "engagements": float(round(views * 0.01)), "is_estimated": False})
    return pd.DataFrame(rows)


def last_day(frame: pd.DataFrame) -> date:
    return frame["metric_date"].max()


def settings(**changes) -> AlertSettings:
    return AlertSettings(**({"min_peers": 4, "metrics": ["views"]} | changes))
