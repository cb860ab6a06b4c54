"""One evaluation: judge the last `window_days` days, group episodes, store them in ops.alerts.

The caller (the Dagster asset) delivers `Evaluation.new` — only the alerts this evaluation
inserted whose episode is still open (an episode already over when first seen, e.g. on the first
run over a long history, is stored but not sent).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from core.workspace import AlertSettings
from insights.alerts import store, warehouse
from insights.alerts.bands import JUDGED_COLUMNS, judge_posts
from insights.alerts.drops import drop_episodes, drop_window
from insights.alerts.text import drop_message, viral_message
from insights.alerts.viral import post_anomalies, viral_episodes


@dataclass
class Evaluation:
    start: date | None = None
    end: date | None = None
    alerts: pd.DataFrame = field(default_factory=pd.DataFrame)  # every episode seen, with its id
    new: pd.DataFrame = field(default_factory=pd.DataFrame)     # inserted now and still open: to deliver
    judged_post_days: int = 0
    judged_account_days: int = 0
    seconds: float = 0.0


def evaluate(conn, settings: AlertSettings, run_id: str, as_of: date | None = None) -> Evaluation:
    """Judge, group and store; commits nothing itself (the caller's transaction)."""
    started = time.monotonic()
    end = as_of or warehouse.latest_day(conn)
    if end is None or not settings.enabled:
        return Evaluation()
    start = end - timedelta(days=settings.window_days - 1)
    post_days = warehouse.read_post_days(conn, start - timedelta(days=settings.history_days), end)
    judged = judge_posts(post_days, settings, start, end)
    viral = viral_episodes(post_days, settings, start, end, judged=judged)
    account_days = warehouse.read_account_days(conn, drop_window(end, settings), end)
    drops = drop_episodes(account_days, warehouse.latest_syncs(conn), settings, start, end)
    alerts = _with_messages(conn, [viral, drops])
    if not alerts.empty:
        alerts = store.with_ids(alerts.assign(run_id=run_id))
        existing = store.stored_alerts(conn, start - timedelta(days=settings.close_after_days + 1))
        alerts = store.adopt_existing(alerts, existing, settings.close_after_days)
    inserted = set(store.save_alerts(conn, alerts))
    new = alerts[alerts["alert_id"].isin(inserted) & (alerts["status"] == "open")] if inserted else alerts.iloc[0:0]
    return Evaluation(start, end, alerts, new.reset_index(drop=True), len(judged.drop_duplicates(
        ["platform", "account_id", "post_id", "metric_date"])), len(account_days), time.monotonic() - started)


def _with_messages(conn, parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame()
    alerts = pd.concat(parts, ignore_index=True)
    accounts, titles = warehouse.names(conn, list(zip(alerts.platform, alerts.account_id, strict=True)),
                                       [(p, i) for p, i in zip(alerts.platform, alerts.post_id, strict=True) if i])
    messages = []
    for row in alerts.itertuples(index=False):
        account = accounts.get((row.platform, row.account_id))
        if row.kind == "viral_post":
            messages.append(viral_message(row, titles.get((row.platform, row.post_id)), account))
        else:
            messages.append(drop_message(row, account))
    return alerts.assign(message=messages)


def warehouse_post_anomalies(conn, settings: AlertSettings | None = None, as_of: date | None = None,
                             only_anomalous: bool = True) -> pd.DataFrame:
    """post_anomalies() over the warehouse's post facts: the last `window_days` up to `as_of` (default:
    the facts' last day), in the shape of marts.mart_anomalies."""
    settings = settings or AlertSettings()
    end = as_of or warehouse.latest_day(conn)
    if end is None:
        return post_anomalies(pd.DataFrame(), settings, only_anomalous=only_anomalous, judged=_no_judgement())
    start = end - timedelta(days=settings.window_days - 1)
    post_days = warehouse.read_post_days(conn, start - timedelta(days=settings.history_days), end)
    return post_anomalies(post_days, settings, start, end, only_anomalous=only_anomalous)


def _no_judgement() -> pd.DataFrame:
    return pd.DataFrame(columns=list(JUDGED_COLUMNS)).astype({"above": bool})
