"""Costs (validated) + the marts → marts.mart_roi, in one transaction."""

from __future__ import annotations

import pandas as pd

from insights.roi.compute import MART_COLUMNS, account_rows, campaign_posts, campaign_rows, platform_rows
from insights.roi.config import Costs, CostsConfigError
from insights.roi.warehouse import read_account_days, read_post_days, read_posts, write_roi


def check_campaign_posts(costs: Costs, posts: pd.DataFrame) -> None:
    """Listed campaign posts must exist in marts.dim_posts (checked before any row is written)."""
    known = set(posts["post_key"])
    problems = [f"  costs[{i}].posts: unknown post(s) {', '.join(p for p in e.posts if p not in known)} "
                "(not in marts.dim_posts)"
                for i, e in enumerate(costs.entries) if e.posts and any(p not in known for p in e.posts)]
    if problems:
        raise CostsConfigError(f"Invalid costs file {costs.source}:\n" + "\n".join(problems))


def compute_roi(conn, costs: Costs) -> pd.DataFrame:
    """Every row of marts.mart_roi (MART_COLUMNS): accounts, platforms, campaigns."""
    posts = read_posts(conn, costs.workspace)
    check_campaign_posts(costs, posts)
    days = read_account_days(conn, costs.workspace)
    accounts = account_rows(days, posts, costs.entries)
    campaign_keys = sorted({k for e in costs.entries if e.campaign
                            for k in posts.loc[campaign_posts(e, posts), "post_key"]})
    campaigns = campaign_rows(costs.entries, posts, read_post_days(conn, campaign_keys), days)
    if costs.skipped:
        accounts["note"] = [f"{n}; {costs.skipped}" if n else costs.skipped for n in accounts["note"]]
    parts = [p for p in (accounts, platform_rows(accounts), campaigns) if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(MART_COLUMNS))


def run_roi(conn, costs: Costs, now) -> pd.DataFrame:
    rows = compute_roi(conn, costs)
    write_roi(conn, rows, now, costs.workspace)
    return rows
