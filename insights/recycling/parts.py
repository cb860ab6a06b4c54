"""The four parts of the evergreen score, each in [0, 1] (1 = the best for recycling), NaN when unknown.

- engagement: the post's engagement-rate percentile among its account's eligible posts;
- still_arriving: views of the last 30 complete days ÷ views of its first 30 days, capped at 1;
- timeless: 1 without dated words in the title and caption, else 0;
- last_ran: days since it (or a copy) last ran ÷ saturation_days, capped at 1.
Definitions and edge cases: docs/insights-recycling.md.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from insights.recycling.words import dated_words

WINDOW_DAYS = 30
DAYS_COLUMNS = ("post_key", "metric_date", "views", "metric_source")


def engagement_percentile(eligible: pd.DataFrame) -> pd.Series:
    """Percent rank of engagement_rate within (platform, account_id): (rank − 1) / (n − 1), ties
    sharing their average rank; NaN for an unknown rate or an account with fewer than 2 known rates."""
    rate = pd.to_numeric(eligible["engagement_rate"], errors="coerce")
    by_account = rate.groupby([eligible["platform"], eligible["account_id"]])
    rank = by_account.rank(method="average")
    known = by_account.transform("count")
    return ((rank - 1) / (known - 1)).where(known >= 2)


def view_windows(posts: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """views_first_30d, views_last_30d, still_arriving_note per post (index = posts' index).

    `posts`: post_key, published_at, as_of_date (the account's last complete day),
    is_tracked_from_publish. `days`: DAYS_COLUMNS rows of fct_post_metrics_daily. The first window is
    the 30 days from the publish day (UTC), the last the 30 days up to as_of_date. Both are known when
    the post's days are known from its publication (a platform reporting every day, or a post
    published after tracking began), the windows do not overlap, and no day in them has unknown
    views; a day without a row had no views. Otherwise both are NaN and the note says why."""
    frame = days.copy()
    frame["metric_date"] = pd.to_datetime(frame["metric_date"]).dt.date
    by_post = {key: rows for key, rows in frame.groupby("post_key")}
    out = []
    for post in posts.itertuples(index=False):
        rows = by_post.get(post.post_key, frame.iloc[0:0])
        out.append(_windows(post, rows))
    return pd.DataFrame(out, index=posts.index, columns=["views_first_30d", "views_last_30d", "still_arriving_note"])


def _windows(post, rows: pd.DataFrame) -> tuple[float, float, str | None]:
    published = pd.Timestamp(post.published_at)
    first_day = (published.tz_convert("UTC") if published.tzinfo else published).date()  # naive = UTC
    as_of = post.as_of_date if isinstance(post.as_of_date, date) and not pd.isna(post.as_of_date) else None
    from_publish = bool(post.is_tracked_from_publish) or bool((rows["metric_source"] == "daily_report").any())
    if as_of is None:
        return np.nan, np.nan, "account has no complete day yet"
    if not from_publish:
        return np.nan, np.nan, "first-month views unknown (tracked after it was published)"
    first_end, last_start = first_day + timedelta(days=WINDOW_DAYS - 1), as_of - timedelta(days=WINDOW_DAYS - 1)
    if last_start <= first_end:
        return np.nan, np.nan, f"fewer than {2 * WINDOW_DAYS} complete days since it was published"
    first = rows[(rows["metric_date"] >= first_day) & (rows["metric_date"] <= first_end)]
    last = rows[(rows["metric_date"] >= last_start) & (rows["metric_date"] <= as_of)]
    if first["views"].isna().any() or last["views"].isna().any():
        return np.nan, np.nan, "views unknown on some days"
    return float(first["views"].sum()), float(last["views"].sum()), None


def still_arriving(first: pd.Series, last: pd.Series) -> pd.Series:
    """min(1, last ÷ first); a post with no first-month views scores 1 if it gets views now, else 0."""
    ratio = (last / first.where(first > 0)).clip(upper=1.0)
    no_start = first.eq(0)
    ratio[no_start] = np.where(last[no_start] > 0, 1.0, 0.0)
    return ratio.where(first.notna() & last.notna())


def timeless(titles: pd.Series, captions: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(part, the dated words found joined by ', ' or None)."""
    found = [dated_words(t, c) for t, c in zip(titles, captions, strict=True)]
    words = pd.Series([", ".join(f) or None for f in found], index=titles.index, dtype=object)
    return pd.Series([0.0 if f else 1.0 for f in found], index=titles.index), words


def last_ran(days_since: pd.Series, saturation_days: int) -> pd.Series:
    """Longer since it last ran is better, saturating at 1 after saturation_days."""
    return (days_since.astype(float) / saturation_days).clip(lower=0.0, upper=1.0)
