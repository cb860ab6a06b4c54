"""ops.alerts (DDL in core/warehouse/schema.py): one row per post (or account) per episode.

The id hashes (kind, platform, account, post, episode_start), and an episode recomputed with a
slightly different start (a revised day, a window that cut it) adopts the id of the stored alert it
overlaps, so a rerun updates rows and never inserts a second alert for one episode. `save_alerts`
returns only the rows it inserted: the ones to deliver.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pandas as pd
from psycopg2.extras import execute_values

from insights.warehouse import query_frame, records

ALERT_COLUMNS = ("alert_id", "kind", "platform", "account_id", "post_id", "metric", "episode_start", "last_seen",
                 "value", "expected", "ratio", "likely_cause", "message", "status", "run_id")
ENTITY = ["kind", "platform", "account_id", "post_id"]


def alert_id(kind: str, platform: str, account_id: str, post_id: str | None, episode_start) -> str:
    return hashlib.md5("|".join(str(p or "") for p in (kind, platform, account_id, post_id, episode_start))
                       .encode()).hexdigest()


def with_ids(alerts: pd.DataFrame) -> pd.DataFrame:
    ids = [alert_id(*row) for row in alerts[[*ENTITY, "episode_start"]].itertuples(index=False)]
    return alerts.assign(alert_id=ids)


def adopt_existing(alerts: pd.DataFrame, existing: pd.DataFrame, close_after_days: int) -> pd.DataFrame:
    """Give an episode the id and start of a stored alert of the same entity it overlaps (the stored
    one's [episode_start, last_seen + close_after_days] meets the new [episode_start, last_seen])."""
    if alerts.empty or existing.empty:
        return alerts
    keyed = existing.assign(post_id=existing["post_id"].fillna(""))
    candidates = alerts.assign(post_id=alerts["post_id"].fillna(""), _row=range(len(alerts))).merge(
        keyed[[*ENTITY, "alert_id", "episode_start", "last_seen"]], on=ENTITY, suffixes=("", "_stored"))
    reach = candidates["last_seen_stored"] + timedelta(days=close_after_days)
    overlapping = candidates[(candidates["episode_start"] <= reach)
                             & (candidates["last_seen"] >= candidates["episode_start_stored"])]
    first = overlapping.sort_values("episode_start_stored").drop_duplicates("_row").set_index("_row")
    adopted = alerts.copy().reset_index(drop=True)
    rows = first.index.to_numpy()
    adopted.loc[rows, "alert_id"] = first["alert_id_stored"].to_numpy()
    adopted.loc[rows, "episode_start"] = first["episode_start_stored"].to_numpy()
    return adopted.drop_duplicates("alert_id", keep="last")


def stored_alerts(conn, since) -> pd.DataFrame:
    """Alerts whose episode reached `since` or later: the ones a new evaluation may continue."""
    return query_frame(conn, "select alert_id, kind, platform, account_id, post_id, episode_start, last_seen "
                             "from ops.alerts where last_seen >= %s", (since,))


def save_alerts(conn, alerts: pd.DataFrame) -> list[str]:
    """Insert new episodes, update known ones (last day seen, peak, status); the inserted ids."""
    if alerts.empty:
        return []
    rows = records(alerts, ALERT_COLUMNS)
    with conn.cursor() as cur:
        inserted = execute_values(cur, f"""
            insert into ops.alerts ({", ".join(ALERT_COLUMNS)}) values %s
            on conflict (alert_id) do update set
                last_seen = greatest(ops.alerts.last_seen, excluded.last_seen),
                value = excluded.value, expected = excluded.expected, ratio = excluded.ratio,
                status = case when excluded.last_seen >= ops.alerts.last_seen then excluded.status
                              else ops.alerts.status end,
                updated_at = now()
            returning alert_id, (xmax = 0) as inserted""", rows, fetch=True)
    return [row[0] for row in inserted if row[1]]


def record_delivery(conn, alert_ids: list[str], outcomes: list[dict]) -> None:
    """The per-target outcomes of one delivery; delivered_at when at least one target took it."""
    delivered = any(o.get("status") == "delivered" for o in outcomes)
    with conn.cursor() as cur:
        cur.execute("update ops.alerts set delivery = %s::jsonb, delivered_at = case when %s then now() end "
                    "where alert_id = any(%s)", (json.dumps(outcomes), delivered, alert_ids))


def undelivered(conn, run_id: str) -> list[dict]:
    """Alerts raised by `run_id` with a target that did not take them (failed, or its variable unset)."""
    with conn.cursor() as cur:
        cur.execute("""select alert_id, message, o->>'target', o->>'status', o->>'detail'
                       from ops.alerts, jsonb_array_elements(delivery) as o
                       where run_id = %s and o->>'status' <> 'delivered'""", (run_id,))
        return [dict(zip(("alert_id", "message", "target", "status", "detail"), row, strict=True))
                for row in cur.fetchall()]


def open_count(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("select count(*) from ops.alerts where status = 'open'")
        return cur.fetchone()[0]

