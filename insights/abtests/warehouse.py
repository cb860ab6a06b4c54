"""The A/B tests' reads from the marts and the write of marts.mart_ab_tests (DDL: insights/store.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from psycopg2 import sql

from insights.abtests.evaluate import MART_COLUMNS, POST_COLUMNS
from insights.store import ensure_tables
from insights.warehouse import replace_mart


def read_posts(conn) -> pd.DataFrame:
    """Every post's key and the attributes a variant may match on (marts.dim_posts)."""
    with conn.cursor() as cur:
        cur.execute(f"select {', '.join(POST_COLUMNS)} from marts.dim_posts")
        return pd.DataFrame(cur.fetchall(), columns=list(POST_COLUMNS))


def read_post_days(conn, post_keys: list[str], successes: str, trials: str, start: date, end: date) -> pd.DataFrame:
    """post_key, metric_date, successes, trials of the posts' days in [start, end] (NULL stays NaN).
    The metric names come from the validated whitelist (config.SUCCESSES / TRIALS)."""
    columns = ["post_key", "metric_date", "successes", "trials"]
    if not post_keys or end < start:
        return pd.DataFrame(columns=columns)
    query = sql.SQL("select post_key, metric_date, {s}::double precision, {t}::double precision "
                    "from marts.fct_post_metrics_daily "
                    "where post_key = any(%s) and metric_date between %s and %s").format(
        s=sql.Identifier(successes), t=sql.Identifier(trials))
    with conn.cursor() as cur:
        cur.execute(query, (post_keys, start, end))
        frame = pd.DataFrame(cur.fetchall(), columns=columns)
    return frame.astype({"successes": float, "trials": float})


def stored_statuses(conn) -> dict[str, str]:
    """test name → the status of its last evaluation (before this one)."""
    with conn.cursor() as cur:
        ensure_tables(cur)
        cur.execute("select distinct test_name, status from marts.mart_ab_tests")
        return dict(cur.fetchall())


def write_ab_tests(conn, results: pd.DataFrame, now) -> int:
    """Make marts.mart_ab_tests hold exactly `results` (one transaction): a removed test disappears."""
    return replace_mart(conn, "marts.mart_ab_tests", results, MART_COLUMNS, ("evaluated_at", now))
