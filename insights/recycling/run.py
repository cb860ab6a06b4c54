"""Score the warehouse's posts and store the candidates: the settings are checked before any scoring."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from core.workspace import RecyclingSettings
from insights.recycling.history import check_recycled
from insights.recycling.score import candidates
from insights.recycling.warehouse import read_days, read_posts, write_candidates


def recycle(conn, settings: RecyclingSettings, today: date, now) -> pd.DataFrame:
    """The candidates written to marts.mart_recycling_candidates (a listed post unknown to
    marts.dim_posts raises InsightsInputError before the mart changes)."""
    posts = read_posts(conn)
    check_recycled(settings, set(posts["post_key"]))
    days = read_days(conn, today - timedelta(days=settings.min_age_days))
    rows = candidates(posts, days, settings, today)
    write_candidates(conn, rows, now)
    return rows
