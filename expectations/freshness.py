"""Freshness per platform, relative to its schedule: stale raw data warns, it does not block.

The newest *data day* a platform delivered (its `PlatformSpec.freshness`) vs today. Ingestion can
succeed while the API serves frozen data (`stale_data` fault); this catches it. Allowed age: the
platform's lookback (its reporting lag) + one schedule interval + one day.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from core.platform import PlatformSettings, PlatformSpec


def schedule_interval(cron: str) -> timedelta:
    """Time between runs of a cron: `*/N` hours → N h, `*` → 1 h, a fixed hour list → 24 h / count."""
    hour = cron.split()[1]
    if hour.startswith("*/"):
        return timedelta(hours=int(hour[2:]))
    if hour == "*":
        return timedelta(hours=1)
    return timedelta(hours=24 / max(1, len(hour.split(","))))


def allowed_age_days(settings: PlatformSettings) -> int:
    return settings.lookback_days + math.ceil(schedule_interval(settings.schedule) / timedelta(days=1)) + 1


def newest_day(conn, spec: PlatformSpec) -> date | None:
    """The newest data day the platform's *last delivery* carried: rows fetched (or re-fetched) by
    the newest fetch of the table, not held by the gate. Older deliveries do not count — an API
    that starts serving frozen data is stale even though fresher days were stored before."""
    table, expression = spec.freshness.table, spec.freshness.day
    fetched = "coalesce(last_fetched_at, fetched_at)"
    with conn.cursor() as cur:
        cur.execute(f"select max({expression}) from raw.{table} where {expression} ~ '^[0-9]+-[0-9]+-[0-9]+$' "
                    f"and {expression} <= to_char(current_date + 1, 'YYYY-MM-DD') "
                    f"and {fetched} = (select max({fetched}) from raw.{table}) "
                    f"and raw_id not in (select raw_id from ops.held_raw_rows where raw_table = %s)", (table,))
        value = cur.fetchone()[0]
    conn.commit()
    return date.fromisoformat(value) if value else None
