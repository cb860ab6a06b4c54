"""The evergreen score and the candidates per account: pure pandas, one formula each.

score = Σ weight × part over the parts known for the post ÷ Σ weight of those parts, so an unknown
part (NULL) is left out and the others reweighted, never read as 0; `parts_missing` names it.
Eligible: posts at least `min_age_days` old (the run's date − the local publish date). Excluded
posts (resting after a recycling: `history`) are scored with the rest — the percentile pool does
not change when a post is recycled — but not listed. Rank within the account by score, ties by
post key; the first `top_n` are the candidates.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from core.workspace import RecyclingSettings
from insights.recycling.history import content_history
from insights.recycling.parts import engagement_percentile, last_ran, still_arriving, timeless, view_windows
from insights.recycling.text import reason

POST_COLUMNS = ("post_key", "platform", "account_id", "post_id", "title", "caption", "format", "published_at",
                "published_date_local", "is_tracked_from_publish", "engagement_rate", "as_of_date")
PARTS = ("engagement", "still_arriving", "timeless", "last_ran")
MART_COLUMNS = ("run_date", "platform", "account_id", "post_key", "post_id", "title", "format", "published_at",
                "age_days", "rank_in_account", "score", "engagement_part", "still_arriving_part", "timeless_part",
                "last_ran_part", "parts_missing", "engagement_rate", "views_first_30d", "views_last_30d",
                "dated_words", "last_ran_date", "last_ran_source", "days_since_last_ran", "reason")


def weighted_score(parts: pd.DataFrame, weights: dict[str, float]) -> tuple[pd.Series, pd.Series]:
    """(score, parts_missing) from `<part>_part` columns; a part with weight 0 is neither counted nor missing."""
    used = [p for p in PARTS if weights[p] > 0]
    values = parts[[f"{p}_part" for p in used]].astype(float)
    known = values.notna()
    w = pd.Series([weights[p] for p in used], index=values.columns)
    total = known.mul(w, axis=1).sum(axis=1)
    score = values.fillna(0).mul(w, axis=1).sum(axis=1) / total.where(total > 0)
    missing = known.apply(lambda row: ", ".join(p for p, k in zip(used, row, strict=True) if not k) or None, axis=1)
    return score, missing


def score_posts(posts: pd.DataFrame, days: pd.DataFrame, settings: RecyclingSettings, today: date) -> pd.DataFrame:
    """Every eligible post with its parts, score, history and exclusion (before ranking)."""
    frame = posts.copy()
    frame["published_date_local"] = pd.to_datetime(frame["published_date_local"]).dt.date
    frame["age_days"] = frame["published_date_local"].map(lambda day: (today - day).days)
    history = content_history(frame, settings, today)
    eligible = frame[frame["age_days"] >= settings.min_age_days].merge(history, on="post_key")
    if eligible.empty:
        return eligible
    eligible["engagement_part"] = engagement_percentile(eligible)
    eligible = eligible.join(view_windows(eligible, days))
    eligible["still_arriving_part"] = still_arriving(eligible["views_first_30d"], eligible["views_last_30d"])
    eligible["timeless_part"], eligible["dated_words"] = timeless(eligible["title"], eligible["caption"])
    eligible["days_since_last_ran"] = eligible["last_ran_date"].map(lambda day: (today - day).days)
    eligible["last_ran_part"] = last_ran(eligible["days_since_last_ran"], settings.saturation_days)
    eligible["score"], eligible["parts_missing"] = weighted_score(eligible, settings.weights.model_dump())
    return eligible


def candidates(posts: pd.DataFrame, days: pd.DataFrame, settings: RecyclingSettings, today: date) -> pd.DataFrame:
    """MART_COLUMNS: the top_n not-excluded posts of each account by score, in a stable order."""
    scored = score_posts(posts, days, settings, today)
    if scored.empty:
        return pd.DataFrame(columns=list(MART_COLUMNS))
    listed = scored[~scored["is_excluded"].astype(bool) & scored["score"].notna()].copy()
    listed = listed.sort_values(["platform", "account_id", "score", "post_key"], ascending=[True, True, False, True])
    listed["rank_in_account"] = listed.groupby(["platform", "account_id"]).cumcount() + 1
    listed = listed[listed["rank_in_account"] <= settings.top_n].copy()
    listed["run_date"] = today
    listed["reason"] = [reason(row) for row in listed.itertuples(index=False)]
    return listed.loc[:, list(MART_COLUMNS)].reset_index(drop=True)
