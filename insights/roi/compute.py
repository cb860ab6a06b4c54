"""Costs and results per month → marts.mart_roi rows: pure pandas (docs/insights-roi.md).

Results are the marts' own columns summed over the month's **complete** days
(fct_account_metrics_daily.is_complete): views, engagements and followers_net ("followers gained",
net of those lost). A month's sum is NULL when any of its complete days has the value unknown — a
sum with holes would read as a smaller number. A cost is NULL when nothing is declared, never 0; a
declared 0 is 0. Currencies are never added up: every row has one currency.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd

from insights.roi.config import CostEntry

RESULTS = ("views", "engagements", "followers_gained")
MART_COLUMNS = (
    "row_key", "row_type", "month", "platform", "account_id", "campaign", "currency", "fixed_cost", "per_post_cost",
    "posts_published", "production_cost", "ad_spend", "total_cost", "views", "engagements", "followers_gained",
    "cost_per_1000_views", "cost_per_engagement", "cost_per_follower", "days", "complete_days",
    "is_month_complete", "accounts_with_cost", "accounts_without_cost", "note",
)
NO_COSTS = "no costs declared"
DECIMALS = 4


def month_of(day) -> date:
    day = pd.Timestamp(day)
    return date(day.year, day.month, 1)


def days_in(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def strict_sum(values: pd.Series) -> float:
    """Σ of known values; NaN when any value is unknown or there is none (unknown is never 0)."""
    return float(values.sum()) if len(values) and values.notna().all() else np.nan


def account_months(days: pd.DataFrame) -> pd.DataFrame:
    """Account days (platform, account_id, metric_date, is_complete, views, engagements, followers_net)
    → one row per account × month: complete_days and the results over those days."""
    keys = ["platform", "account_id", "month"]
    empty = pd.DataFrame(columns=[*keys, "complete_days", *RESULTS])
    if days.empty:
        return empty
    frame = days.assign(month=days["metric_date"].map(month_of))
    done = frame[frame["is_complete"].astype(bool)]
    out = frame[keys].drop_duplicates()
    complete = empty if done.empty else done.groupby(keys).agg(
        complete_days=("metric_date", "nunique"), views=("views", strict_sum),
        engagements=("engagements", strict_sum), followers_gained=("followers_net", strict_sum)).reset_index()
    out = out.merge(complete, on=keys, how="left")
    out["complete_days"] = pd.to_numeric(out["complete_days"]).fillna(0).astype(int)
    return out


def declared(entries: list[CostEntry]) -> pd.DataFrame:
    """One row per target × month × currency with the declared amounts (NaN = not declared)."""
    rows = [{"target": e.target, "month": date.fromisoformat(e.month + "-01"), "currency": e.currency,
             "fixed": e.fixed, "per_post": e.per_post, "ad_spend": e.ad_spend} for e in entries]
    columns = ["target", "month", "currency", "fixed", "per_post", "ad_spend"]
    frame = pd.DataFrame(rows, columns=columns).astype({k: float for k in ("fixed", "per_post", "ad_spend")})
    # entries of one target and month may split the kinds (the duplicate check keeps each kind once)
    return frame.groupby(["target", "month", "currency"], sort=False).agg(
        {k: lambda s: s.sum(min_count=1) for k in ("fixed", "per_post", "ad_spend")}).reset_index()


def costed(frame: pd.DataFrame) -> pd.DataFrame:
    """fixed, per_post, ad_spend, posts_published → the parts and the total (NULL only when no part is declared)."""
    out = frame.rename(columns={"fixed": "fixed_cost", "per_post": "per_post_cost"})
    out["production_cost"] = out["per_post_cost"] * out["posts_published"]
    out["total_cost"] = out[["fixed_cost", "production_cost", "ad_spend"]].sum(axis=1, min_count=1)
    return out


def per(cost: pd.Series, results: pd.Series, scale: float = 1.0) -> pd.Series:
    """cost ÷ results × scale; NULL when the cost is unknown or the results are unknown or ≤ 0."""
    ratio = cost.astype(float) / results.astype(float).where(results > 0) * scale
    return ratio.round(DECIMALS)


def covered_cost(frame: pd.DataFrame) -> pd.Series:
    """The month's cost prorated to its complete days (total × complete_days ÷ days): the results only
    count complete days, so a partial month's full cost would inflate every yardstick."""
    share = frame["complete_days"].astype(float) / frame["days"].astype(float).where(frame["days"] > 0)
    return frame["total_cost"].astype(float) * share


def with_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """The three yardsticks, each in one place, on the cost of the complete days."""
    cost = covered_cost(frame)
    return frame.assign(cost_per_1000_views=per(cost, frame["views"], 1000),
                        cost_per_engagement=per(cost, frame["engagements"]),
                        cost_per_follower=per(cost, frame["followers_gained"]))


def account_rows(days: pd.DataFrame, posts: pd.DataFrame, entries: list[CostEntry]) -> pd.DataFrame:
    """One row per account × month × declared currency (one row with currency NULL where nothing is declared).
    `posts`: platform, account_id, month (of publication, UTC) — one row per post."""
    months = account_months(days)
    costs = declared([e for e in entries if e.campaign is None])
    costs["platform"] = [t[1] for t in costs["target"]]  # (also on no entries: the merge needs the columns)
    costs["account_id"] = [t[2] for t in costs["target"]]
    keys = ["platform", "account_id", "month"]
    grid = pd.concat([months[keys], costs.reindex(columns=keys)]).drop_duplicates()
    if grid.empty:
        return _finish(grid)
    frame = grid.merge(months, on=keys, how="left").merge(
        costs.drop(columns="target"), on=keys, how="left")
    counts = posts.groupby(keys).size().rename("posts_published").reset_index()
    frame = frame.merge(counts, on=keys, how="left")
    frame["posts_published"] = pd.to_numeric(frame["posts_published"]).fillna(0).astype(int)
    frame["complete_days"] = pd.to_numeric(frame["complete_days"]).fillna(0).astype(int)
    frame = costed(frame)
    frame["days"] = frame["month"].map(days_in)
    others = frame.groupby(keys)["currency"].transform(lambda c: c.nunique())
    frame["note"] = [_note(r, other_currencies=n > 1) for r, n in zip(frame.itertuples(), others, strict=True)]
    frame = frame.assign(row_type="account", campaign=None, accounts_with_cost=np.nan, accounts_without_cost=np.nan)
    return _finish(frame)


def platform_rows(accounts: pd.DataFrame) -> pd.DataFrame:
    """Per platform × month × currency: the accounts with a cost in that currency summed (costs and results
    of the same accounts, so the ratios compare like with like); accounts_without_cost says how many have none."""
    rows = []
    for (platform, month), group in accounts.groupby(["platform", "month"], sort=True):
        without = group.groupby("account_id")["total_cost"].apply(lambda c: c.isna().all())
        currencies = sorted(group["currency"].dropna().unique())
        for currency in currencies or [None]:
            members = group[group["currency"] == currency] if currency else group
            row = {"platform": platform, "month": month, "currency": currency,
                   "accounts_with_cost": len(members) if currency else 0, "accounts_without_cost": int(without.sum()),
                   "posts_published": int(members["posts_published"].sum()),
                   "complete_days": int(members["complete_days"].sum()),
                   "days": int(members["days"].sum())}  # account-days
            for part in ("fixed_cost", "production_cost", "ad_spend", "total_cost"):
                row[part] = members[part].sum(min_count=1)
            for result in RESULTS:
                row[result] = strict_sum(members[result])
            rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return _finish(frame.reindex(columns=MART_COLUMNS))
    frame = frame.assign(row_type="platform", account_id=None, campaign=None, per_post_cost=np.nan)
    frame["note"] = [_platform_note(r) for r in frame.itertuples()]
    return _finish(frame)


def campaign_rows(entries: list[CostEntry], posts: pd.DataFrame, post_days: pd.DataFrame,
                  days: pd.DataFrame) -> pd.DataFrame:
    """Per campaign × declared month × currency. `posts`: post_key, platform, account_id, month, hashtags;
    `post_days`: post_key, metric_date, views, engagements of complete account days. Followers cannot be
    attributed to posts: followers_gained and cost_per_follower stay NULL."""
    costs = declared([e for e in entries if e.campaign is not None])
    if costs.empty:
        return _finish(pd.DataFrame(columns=list(MART_COLUMNS)))
    first = {e.campaign: e for e in reversed(entries) if e.campaign is not None}
    complete = days[days["is_complete"].astype(bool)].assign(month=lambda d: d["metric_date"].map(month_of))
    rows = []
    for row in costs.itertuples(index=False):
        entry = first[row.target[1]]
        members = posts[campaign_posts(entry, posts)]
        in_month = post_days[post_days["post_key"].isin(members["post_key"])
                             & (post_days["metric_date"].map(month_of) == row.month)]
        accounts = set(zip(members["platform"], members["account_id"], strict=True))
        rows.append({
            "campaign": entry.campaign, "month": row.month, "currency": row.currency,
            "platform": entry.platform, "fixed": row.fixed, "per_post": row.per_post, "ad_spend": row.ad_spend,
            "posts_published": int((members["month"] == row.month).sum()),
            "views": strict_sum(in_month["views"]), "engagements": strict_sum(in_month["engagements"]),
            "followers_gained": np.nan, "complete_days": _common_complete_days(complete, accounts, row.month),
            "days": days_in(row.month), "campaign_posts": len(members)})
    frame = costed(pd.DataFrame(rows)).assign(row_type="campaign", account_id=None, accounts_with_cost=np.nan,
                                              accounts_without_cost=np.nan)
    frame["note"] = [_campaign_note(r) for r in frame.itertuples()]
    return _finish(frame)


def campaign_posts(entry: CostEntry, posts: pd.DataFrame) -> pd.Series:
    """The posts of a campaign: its listed keys, or those carrying its hashtag (on its platform, if given)."""
    if entry.posts is not None:
        return posts["post_key"].isin(entry.posts)
    tags = posts["hashtags"].fillna("").str.split(",")
    mask = tags.map(lambda t: entry.hashtag in t).astype(bool)  # bool even when empty: a mask, not columns
    return mask & (posts["platform"] == entry.platform) if entry.platform else mask


def _common_complete_days(complete: pd.DataFrame, accounts: set, month: date) -> int:
    """Days of the month complete for every account the campaign's posts belong to."""
    if not accounts:
        return 0
    days = None
    for platform, account_id in accounts:
        mine = complete[(complete["platform"] == platform) & (complete["account_id"] == account_id)
                        & (complete["month"] == month)]
        days = set(mine["metric_date"]) if days is None else days & set(mine["metric_date"])
    return len(days)


def _partial(row) -> str | None:
    if row.complete_days < row.days:
        return (f"partial month: {row.complete_days} of {row.days} days complete (yardsticks on the cost "
                f"prorated to them)")
    return None


def _note(row, other_currencies: bool) -> str | None:
    parts = [NO_COSTS if pd.isna(row.total_cost) else None, _partial(row)]
    if row.complete_days and any(pd.isna(getattr(row, r)) for r in RESULTS):
        unknown = [r.replace("_", " ") for r in RESULTS if pd.isna(getattr(row, r))]
        parts.append(f"{', '.join(unknown)} unknown on some complete day")
    if other_currencies:
        parts.append("costs in other currencies are on their own rows (never summed)")
    return "; ".join(p for p in parts if p) or None


def _platform_note(row) -> str | None:
    parts = [NO_COSTS if pd.isna(row.total_cost) else None,
             f"{row.accounts_without_cost} account(s) of the platform have no cost declared"
             if row.accounts_without_cost else None,
             f"partial: {row.complete_days} of {row.days} account-days complete (yardsticks on the cost "
             f"prorated to them)" if row.complete_days < row.days else None]
    return "; ".join(p for p in parts if p) or None


def _campaign_note(row) -> str | None:
    parts = [None if row.campaign_posts else "no post of the campaign is in marts.dim_posts",
             f"partial month: {row.complete_days} of {row.days} days complete for all its accounts"
             if row.complete_days < row.days else None,
             "followers cannot be attributed to posts: no cost per follower"]
    return "; ".join(p for p in parts if p)


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Ratios, the row key, MART_COLUMNS in a stable order (reruns write the same rows)."""
    if frame.empty:
        return pd.DataFrame(columns=list(MART_COLUMNS))
    frame = with_ratios(frame)
    frame["is_month_complete"] = frame["complete_days"] >= frame["days"]
    frame["row_key"] = [_key(r) for r in frame.itertuples()]
    return frame.reindex(columns=list(MART_COLUMNS)).sort_values("row_key", kind="stable").reset_index(drop=True)


def _key(row) -> str:
    """'account/youtube/UC1/2026-10/EUR', 'platform/youtube/2026-10/-', 'campaign/autumn/2026-10/EUR'."""
    where = {"account": f"{row.platform}/{row.account_id}", "platform": row.platform,
             "campaign": row.campaign}[row.row_type]
    currency = "-" if pd.isna(row.currency) else row.currency
    return f"{row.row_type}/{where}/{row.month:%Y-%m}/{currency}"
