"""Competitor snapshots: each platform's public numbers of the accounts listed under `competitors:`.

Public APIs give current counts only (followers now, each recent post's counters now), so every run
stores one snapshot per competitor in `raw.competitor_snapshots`; growth comes from comparing
snapshots. Each platform's `competitors.py` fetches and parses (`fetch_competitor(client, handle, now)`),
with the client of the platform's first own account (its token reads public data). Outcomes:
- ok: the snapshot (raw answers + parsed `metrics`) is stored;
- not_found: the API answered as for a deleted/renamed account; the answer is stored as a snapshot
  with status not_found, earlier snapshots stay, the run goes on with a warning naming it;
- error: anything else (quota, network, token) — nothing stored, the message (redacted) goes to
  `ops.competitor_status`; the competitor is read again next run.
Reruns at the same run clock insert nothing new (primary key platform, competitor, fetched_at).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import orjson

from core.workspace import resolve_credentials
from ingestion.registry import connectors

log = logging.getLogger("tidemark.ingestion.competitors")

@dataclass(frozen=True)
class Snapshot:
    """What one fetch found: `metrics` = {account_id, name, followers, posts_total, posts: [{post_id,
    published_at, format, likes, comments, shares}] or None where the platform shows no posts}."""

    status: str  # ok | not_found
    payload: dict
    metrics: dict | None = None
    message: str | None = None


def found(payload: dict, metrics: dict) -> Snapshot:
    return Snapshot("ok", payload, metrics)


def not_found(payload: dict, message: str) -> Snapshot:
    return Snapshot("not_found", payload, None, message)


def count(value) -> int | None:
    """A public counter (YouTube sends strings); absent or hidden is NULL, never 0."""
    return None if value is None else int(value)


@dataclass
class CompetitorResult:
    platform: str
    competitor: str
    status: str
    message: str | None = None
    followers: int | None = None


@dataclass
class CompetitorRun:
    results: list[CompetitorResult] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [f"{r.platform} competitor {r.competitor}: {r.message}" for r in self.results if r.status != "ok"]


def run_competitors(runtime, run_id: str, sleep: Callable[[float], None] | None = None) -> CompetitorRun:
    """Fetch every listed competitor of every platform; one competitor's failure never stops the others."""
    now = runtime.settings.now()
    outcome = CompetitorRun()
    with runtime.connect() as conn:
        for platform, item in connectors().items():
            handles = runtime.workspace.competitors(platform)
            if not handles or item.fetch_competitor is None:
                continue
            client, opened_error = _open(runtime, item, sleep)
            try:
                for handle in handles:
                    result = _one(conn, runtime, item, client, opened_error, handle, now, run_id)
                    outcome.results.append(result)
                    if result.status != "ok":
                        log.warning("%s competitor %s: %s", platform, handle, result.message)
            finally:
                if client is not None:
                    client.close()
    runtime.quota_store.close()
    return outcome


def _open(runtime, item, sleep):
    account = runtime.workspace.accounts(item.name)[0]
    try:
        simulated = runtime.workspace.is_simulated(account)
        stored = None if simulated else runtime.stored_credentials(item.name, account.id)
        credentials = None if simulated else resolve_credentials(item.spec, account, stored=stored)
        return item.open_client(runtime, account, credentials, log, sleep=sleep), None
    except Exception as error:  # noqa: BLE001 — reported per competitor, the run goes on
        return None, error


def _one(conn, runtime, item, client, opened_error, handle: str, now: datetime, run_id: str) -> CompetitorResult:
    platform = item.name
    try:
        if opened_error is not None:
            raise opened_error
        snapshot = item.fetch_competitor(client, handle, now)
    except Exception as error:  # noqa: BLE001 — isolation: the error stays with this competitor
        conn.rollback()
        message = runtime.redactor.redact(f"{type(error).__name__}: {error}")
        _status(conn, platform, handle, "error", message, now, run_id)
        return CompetitorResult(platform, handle, "error", message)
    message = runtime.redactor.redact(snapshot.message) if snapshot.message else None
    metrics = snapshot.metrics or {}
    with conn, conn.cursor() as cur:
        cur.execute(
            "insert into raw.competitor_snapshots (platform, competitor, fetched_at, status, account_id, payload, "
            "metrics, run_id) values (%s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s) "
            "on conflict (platform, competitor, fetched_at) do nothing",
            (platform, handle, now, snapshot.status, metrics.get("account_id"),
             runtime.redactor.redact(orjson.dumps(snapshot.payload).decode()),
             None if snapshot.metrics is None else orjson.dumps(snapshot.metrics).decode(), run_id))
    _status(conn, platform, handle, snapshot.status, message, now, run_id)
    return CompetitorResult(platform, handle, snapshot.status, message, metrics.get("followers"))


def _status(conn, platform: str, handle: str, status: str, message: str | None, now: datetime, run_id: str) -> None:
    """Upsert the competitor's status; last_seen_at/missing_since come from the stored snapshots."""
    with conn, conn.cursor() as cur:
        cur.execute(
            """
            insert into ops.competitor_status as current (platform, competitor, status, message, last_seen_at,
                missing_since, checked_at, run_id)
            select %(platform)s, %(handle)s, %(status)s, %(message)s, seen.last_seen,
                (select min(fetched_at) from raw.competitor_snapshots as snap
                 where snap.platform = %(platform)s and snap.competitor = %(handle)s and snap.status = 'not_found'
                   and snap.fetched_at > coalesce(seen.last_seen, '-infinity')),
                %(now)s, %(run_id)s
            from (select max(fetched_at) as last_seen from raw.competitor_snapshots
                  where platform = %(platform)s and competitor = %(handle)s and status = 'ok') as seen
            on conflict (platform, competitor) do update set status = excluded.status, message = excluded.message,
                last_seen_at = excluded.last_seen_at, missing_since = excluded.missing_since,
                checked_at = excluded.checked_at, run_id = excluded.run_id
            """,
            {"platform": platform, "handle": handle, "status": status, "message": message, "now": now,
             "run_id": run_id})
