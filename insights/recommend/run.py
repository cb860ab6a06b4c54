"""Every insight type over one read of the marts, into one frame in a stable order."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from insights.recommend import content, frequency, posting_time, warehouse
from insights.recommend.audience import audience_shifts
from insights.recommend.hashtags import trending_hashtags
from insights.recommend.milestones import milestones
from insights.recommend.performers import performers
from insights.recommend.posts import in_window, rated
from insights.recommend.rows import INSIGHT_COLUMNS


def recommend(posts: pd.DataFrame, demographics: pd.DataFrame, anomalies: pd.DataFrame, forecasts: pd.DataFrame,
              today: date, now: datetime) -> pd.DataFrame:
    """All insights from the frames (`today`: the run's local date, the first day not counted)."""
    timed = rated(in_window(posts, today, posting_time.WEEKS * 7))
    longer = rated(in_window(posts, today, content.WEEKS * 7))
    rows = [*posting_time.best_posting_times(timed, now),
            *trending_hashtags(rated(in_window(posts, today, 2 * 28)), today, now),
            *audience_shifts(demographics, now),
            *content.content_formats(longer, now),
            *content.content_lengths(longer, now),
            *frequency.posting_frequency(posts, today, now),
            *performers(anomalies, today, now),
            *milestones(forecasts, now)]
    frame = pd.DataFrame(rows, columns=list(INSIGHT_COLUMNS))
    return frame.sort_values(["insight_type", "platform", "account", "insight_id"], na_position="first",
                             kind="stable").reset_index(drop=True)


def recommend_all(conn, today: date, now: datetime) -> pd.DataFrame:
    """Read the marts, compute, replace marts.mart_insights; the rows written."""
    frame = recommend(warehouse.read_posts(conn, today), warehouse.read_demographics(conn),
                      warehouse.read_post_anomalies(conn), warehouse.read_forecasts(conn), today, now)
    warehouse.write_insights(conn, frame)
    return frame
