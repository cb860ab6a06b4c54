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
    table, expression = spec.freshness.table, spec.freshness.day
    with conn.cursor() as cur:
        cur.execute(f"select max({expression}) from raw.{table} where {expression} ~ '^[0-9]+-[0-9]+-[0-9]+$' "
                    f"and {expression} <= to_char(current_date + 1, 'YYYY-MM-DD') and raw_id not in "
                    f"(select raw_id from ops.quarantine where raw_table = %s and released_at is null)", (table,))
        value = cur.fetchone()[0]
    conn.commit()
    return date.fromisoformat(value) if value else None
