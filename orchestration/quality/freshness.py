"""Freshness per platform, relative to its schedule: stale raw data warns, it does not block.

Two views, both WARN (non-blocking) — a platform that stopped delivering must not hold back the
other platforms' reports; the report simply ends at the last fresh day, and the UI shows it:

* Dagster `last update` freshness checks on every raw asset: stale when the platform's ingestion
  has not materialized for two schedule intervals + 1 h (the schedule did not run, or kept failing).
  Evaluated by `freshness_checks_sensor`.
* Data freshness (`freshness_<platform>`, evaluated in each ingestion run): the newest *data day*
  the platform delivered vs today. Ingestion can succeed while the API serves frozen data
  (`stale_data` fault); this catches it. Allowed age: the platform's lookback (its reporting lag)
  + one schedule interval + one day.
"""

import math
from datetime import date, timedelta

import dagster as dg

from ingestion.platforms import CONNECTORS
from orchestration.quality.results import record_check
from orchestration.resources import TidemarkResource
from tidemark.platform_settings import load_platform_settings

# The newest data day per platform: its daily table where it has one, else the snapshot fetch day.
NEWEST_DAY = {
    "youtube": ("youtube_channel_daily", "payload ->> 'day'"),
    "facebook": ("facebook_page_insights", "left(payload ->> 'end_time', 10)"),
    "instagram": ("instagram_account_daily", "payload ->> 'date'"),
    "tiktok": ("tiktok_users", "to_char(fetched_at, 'YYYY-MM-DD')"),
    "x": ("x_users", "to_char(fetched_at, 'YYYY-MM-DD')"),
    "linkedin": ("linkedin_share_daily", "payload ->> 'date'"),
}


def schedule_interval(cron: str) -> timedelta:
    """Time between runs of a cron: `*/N` hours → N h, `*` → 1 h, a fixed hour list → 24 h / count."""
    hour = cron.split()[1]
    if hour.startswith("*/"):
        return timedelta(hours=int(hour[2:]))
    if hour == "*":
        return timedelta(hours=1)
    return timedelta(hours=24 / max(1, len(hour.split(","))))


def _settings(platform: str):
    return load_platform_settings(platform, CONNECTORS[platform].module.DEFAULTS)


def allowed_age_days(platform: str) -> int:
    config = _settings(platform)
    return config.lookback_days + math.ceil(schedule_interval(config.schedule) / timedelta(days=1)) + 1


def newest_day(conn, platform: str) -> date | None:
    table, expression = NEWEST_DAY[platform]
    with conn.cursor() as cur:
        cur.execute(f"select max({expression}) from raw.{table} where {expression} ~ '^[0-9]+-[0-9]+-[0-9]+$' "
                    f"and {expression} <= to_char(current_date + 1, 'YYYY-MM-DD') and raw_id not in "
                    f"(select raw_id from ops.quarantine where raw_table = %s and released_at is null)", (table,))
        value = cur.fetchone()[0]
    conn.commit()
    return date.fromisoformat(value) if value else None


def build_data_freshness_check(platform: str) -> dg.AssetChecksDefinition:
    table = NEWEST_DAY[platform][0]

    @dg.asset_check(asset=dg.AssetKey(["raw", table]), name=f"freshness_{platform}", blocking=False,
                    description=f"{platform}: the newest data day is at most {allowed_age_days(platform)} days old "
                                "(lookback + schedule interval + 1 day). Stale data warns, it does not block.")
    def check(context: dg.AssetCheckExecutionContext, tidemark: TidemarkResource) -> dg.AssetCheckResult:
        runtime = tidemark.runtime()
        today, allowed = runtime.settings.now().date(), allowed_age_days(platform)
        with runtime.connect() as conn:
            newest = newest_day(conn, platform)
            age = (today - newest).days if newest else None
            fresh = age is not None and age <= allowed
            with conn, conn.cursor() as cur:
                record_check(cur, context.run.run_id, f"freshness_{platform}", f"raw/{table}", passed=fresh,
                             severity="ok" if fresh else "warning", blocking=False,
                             details={"newest_day": newest, "age_days": age, "allowed_days": allowed})
        return dg.AssetCheckResult(passed=fresh, severity=dg.AssetCheckSeverity.WARN,
                                   metadata={"newest_day": str(newest), "age_days": age if age is not None else -1,
                                             "allowed_days": allowed})

    return check


def last_update_checks() -> list[dg.AssetChecksDefinition]:
    checks = []
    for platform, item in CONNECTORS.items():
        lower_bound = 2 * schedule_interval(_settings(platform).schedule) + timedelta(hours=1)
        checks += dg.build_last_update_freshness_checks(
            assets=[dg.AssetKey(["raw", table]) for table in item.streams], lower_bound_delta=lower_bound)
    return checks


def freshness_checks() -> tuple[list[dg.AssetChecksDefinition], dg.SensorDefinition]:
    """Data-freshness checks + last-update checks, and the sensor that evaluates the latter."""
    last_update = last_update_checks()
    sensor = dg.build_sensor_for_freshness_checks(freshness_checks=last_update,
                                                  default_status=dg.DefaultSensorStatus.RUNNING)
    return [build_data_freshness_check(p) for p in CONNECTORS if p in NEWEST_DAY] + last_update, sensor
