"""The marts → series frames the forecaster and the detector take, and their results → the marts.

Series ids are "<domain>/<platform>/<account>/<metric>" so a result row finds its way back to its
account. Only complete days are read (fct_account_metrics_daily.is_complete; community days before
the run's date): a day still filling in would look like a drop and drag every forecast down.
A NULL (unknown) value stays NaN — a missing day, never 0.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from psycopg2.extras import execute_values

from insights.store import ensure_tables, stamp_workspaces

SOCIAL_METRICS = ("followers", "views", "engagements")
COMMUNITY_METRICS = {"dau": "active_users", "joins": "community_joins"}
FORECAST_COLUMNS = (
    "domain", "platform", "account_id", "metric", "made_on", "history_start", "history_end", "history_days",
    "target_date", "horizon_days", "point", "lower_80", "upper_80", "lower_95", "upper_95", "model",
    "backtest_horizon_days", "backtest_windows", "backtest_smape", "backtest_mase", "baseline_smape",
    "baseline_mase", "note",
)
ANOMALY_COLUMNS = (
    "anomaly_id", "level", "domain", "platform", "account_id", "post_id", "metric", "observed_on", "value",
    "expected", "lower_bound", "upper_bound", "ratio", "score", "severity", "direction", "likely_cause", "reason",
    "method",
)


def series_id(domain: str, platform: str, account_id: str, metric: str) -> str:
    return f"{domain}/{platform}/{account_id}/{metric}"


def split_series_id(frame: pd.DataFrame) -> pd.DataFrame:
    """Add domain, platform, account_id, metric from series_id (account ids may contain '/')."""
    parts = frame["series_id"].str.split("/")
    return frame.assign(domain=parts.str[0], platform=parts.str[1], metric=parts.str[-1],
                        account_id=parts.str[2:-1].str.join("/"))


def table_exists(cur, table: str) -> bool:
    cur.execute("select to_regclass(%s) is not null", (table,))
    return cur.fetchone()[0]


def read_account_series(conn, metrics=SOCIAL_METRICS) -> pd.DataFrame:
    """Complete account days of fct_account_metrics_daily, one series per account × metric."""
    with conn.cursor() as cur:
        if not table_exists(cur, "marts.fct_account_metrics_daily"):
            return pd.DataFrame(columns=["series_id", "ds", "y"])
        cur.execute(f"select platform, account_id, metric_date, {', '.join(metrics)} "
                    "from marts.fct_account_metrics_daily where is_complete order by 1, 2, 3")
        rows = cur.fetchall()
    wide = pd.DataFrame(rows, columns=["platform", "account_id", "ds", *metrics])
    long = wide.melt(id_vars=["platform", "account_id", "ds"], var_name="metric", value_name="y")
    # an account with no value at all for a metric (X has no account views) has no series
    known = long.groupby(["platform", "account_id", "metric"])["y"].transform(lambda y: y.notna().any())
    long = long[known]
    return pd.DataFrame({
        "series_id": "social/" + long.platform + "/" + long.account_id + "/" + long.metric,
        "ds": pd.to_datetime(long.ds), "y": pd.to_numeric(long.y, errors="coerce").astype(float),
    }).reset_index(drop=True)


def read_community_series(conn, before: date) -> pd.DataFrame:
    """Community DAU and joins per day of mart_community_daily, days before `before` (complete)."""
    with conn.cursor() as cur:
        if not table_exists(cur, "marts.mart_community_daily"):
            return pd.DataFrame(columns=["series_id", "ds", "y"])
        columns = ", ".join(f"{column} as {metric}" for metric, column in COMMUNITY_METRICS.items())
        cur.execute(f"select community_id, day, {columns} from marts.mart_community_daily where day < %s "
                    "order by 1, 2", (before,))
        rows = cur.fetchall()
    wide = pd.DataFrame(rows, columns=["community_id", "ds", *COMMUNITY_METRICS])
    long = wide.melt(id_vars=["community_id", "ds"], var_name="metric", value_name="y")
    return pd.DataFrame({
        "series_id": "community/community/" + long.community_id + "/" + long.metric,
        "ds": pd.to_datetime(long.ds), "y": pd.to_numeric(long.y, errors="coerce").astype(float),
    }).reset_index(drop=True)


def query_frame(conn, sql: str, params=()) -> pd.DataFrame:
    """A query's rows as a frame with the query's column names."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return pd.DataFrame(cur.fetchall(), columns=[c.name for c in cur.description])


def records(frame: pd.DataFrame, columns) -> list[tuple]:
    """`columns` of `frame` as rows to insert: NaN, NaT and None all become NULL (unknown)."""
    if frame.empty:
        return []
    out = frame.loc[:, list(columns)].astype(object)
    return [tuple(None if pd.isna(v) else v for v in row) for row in out.itertuples(index=False)]


def replace_mart(conn, table: str, frame: pd.DataFrame, columns, stamp: tuple[str, object] | None = None,
                 workspace: str | None = None) -> int:
    """Make `table` hold exactly `frame`'s `columns` (plus the run's clock in column stamp[0]), in one
    transaction: a reader sees the old rows or the new ones, never a mix, and a crash leaves the old.
    Each row gets its account's workspace; rows of no account get `workspace` (None: no single one)."""
    names = [*columns, *([stamp[0]] if stamp else [])]
    rows = [(*row, *([stamp[1]] if stamp else [])) for row in records(frame, columns)]
    with conn, conn.cursor() as cur:
        ensure_tables(cur)
        cur.execute(f"delete from {table}")
        if rows:
            execute_values(cur, f"insert into {table} ({', '.join(names)}) values %s", rows, page_size=5000)
        stamp_workspaces(cur, table.split(".", 1)[1], workspace)
    return len(rows)


def write_forecasts(conn, forecasts: pd.DataFrame, made_on: date) -> int:
    """Replace marts.mart_forecasts with this run's forecasts, in one transaction."""
    frame = pd.DataFrame(columns=FORECAST_COLUMNS)
    if not forecasts.empty:
        frame = split_series_id(forecasts).assign(made_on=made_on)
        for column in ("history_start", "history_end", "target_date"):
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return replace_mart(conn, "marts.mart_forecasts", frame, FORECAST_COLUMNS)


def write_anomalies(conn, anomalies: pd.DataFrame, now) -> dict[str, int]:
    """Make marts.mart_anomalies hold exactly `anomalies` (one transaction); a row already there
    keeps its first detected_at (the run's clock `now`), so "detected" means when Tidemark first saw it."""
    with conn.cursor() as cur:
        ensure_tables(cur)
        cur.execute("create temporary table new_anomalies (like marts.mart_anomalies) on commit drop")
        rows = [(*row, now) for row in records(anomalies, ANOMALY_COLUMNS)]
        if rows:
            execute_values(cur, f"insert into new_anomalies ({', '.join(ANOMALY_COLUMNS)}, detected_at) values %s",
                           rows, page_size=5000)
        cur.execute("delete from marts.mart_anomalies a where not exists "
                    "(select 1 from new_anomalies n where n.anomaly_id = a.anomaly_id)")
        removed = cur.rowcount
        updates = ", ".join(f"{c} = excluded.{c}" for c in ANOMALY_COLUMNS if c != "anomaly_id")
        cur.execute(f"insert into marts.mart_anomalies ({', '.join(ANOMALY_COLUMNS)}, detected_at) "
                    f"select {', '.join(ANOMALY_COLUMNS)}, detected_at from new_anomalies "
                    f"on conflict (anomaly_id) do update set {updates} returning (xmax = 0)")
        inserted = sum(1 for (new,) in cur.fetchall() if new)
        stamp_workspaces(cur, "mart_anomalies")
    conn.commit()
    return {"rows": len(anomalies), "new": inserted, "removed": removed}
