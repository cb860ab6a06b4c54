"""Quota usage kept in `ops.api_quota_usage`, so budgets hold across runs and processes."""

from __future__ import annotations

from datetime import datetime

import psycopg2


class PostgresQuotaStore:
    """A quota store (the protocol of `ingestion.http.ratelimit.QuotaStore`) over Postgres.

    Uses its own autocommit connection: a unit spent is spent even if the sync's data
    transaction later rolls back (the platform billed the call either way).
    """

    def __init__(self, url: str):
        self.url = url
        self._conn = None

    def _execute(self, query: str, args: tuple) -> int:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg2.connect(self.url, application_name="tidemark-quota")
            self._conn.autocommit = True
        with self._conn.cursor() as cur:
            cur.execute(query, args)
            row = cur.fetchone()
            return int(row[0]) if row else 0

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def get(self, key: str, window_start: datetime) -> int:
        return self._execute(
            "select coalesce(max(units), 0) from ops.api_quota_usage where quota_key = %s and window_start = %s",
            (key, window_start),
        )

    def add(self, key: str, window_start: datetime, units: int) -> int:
        return self._execute(
            "insert into ops.api_quota_usage (quota_key, window_start, units) values (%s, %s, %s) "
            "on conflict (quota_key, window_start) do update set units = ops.api_quota_usage.units + excluded.units "
            "returning units",
            (key, window_start, units),
        )
