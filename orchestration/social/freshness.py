"""Freshness per platform as Dagster checks: stale raw data warns, it does not block.

Two views, both WARN (non-blocking) — a platform that stopped delivering must not hold back the
other platforms' reports; the report simply ends at the last fresh day, and the UI shows it:

* Dagster `last update` freshness checks on every raw asset: stale when the platform's ingestion
  has not materialized for two schedule intervals + 1 h (the schedule did not run, or kept failing).
  Evaluated by `freshness_checks_sensor`.
* Data freshness (`freshness_<platform>`, evaluated in each ingestion run): the newest *data day*
  the platform delivered vs today (`expectations.freshness`).
"""

from datetime import timedelta

import dagster as dg

from core.platform import PlatformSpec, settings_for
from expectations.freshness import allowed_age_days, newest_day, schedule_interval
from expectations.results import record_check
from ingestion.registry import platforms
from orchestration.resources import Tidemark


def build_data_freshness_check(spec: PlatformSpec) -> dg.AssetChecksDefinition:
    platform, table = spec.name, spec.freshness.table
    allowed = allowed_age_days(settings_for(spec))

    @dg.asset_check(asset=dg.AssetKey(["raw", table]), name=f"freshness_{platform}", blocking=False,
                    description=f"{platform}: the newest data day is at most {allowed} days old "
                                "(lookback + schedule interval + 1 day). Stale data warns, it does not block.")
    def check(context: dg.AssetCheckExecutionContext, tidemark: Tidemark) -> dg.AssetCheckResult:
        runtime = tidemark.runtime()
        today = runtime.settings.now().date()
        allowed_now = allowed_age_days(runtime.platform_settings(platform))
        with runtime.connect() as conn:
            newest = newest_day(conn, spec)
            age = (today - newest).days if newest else None
            fresh = age is not None and age <= allowed_now
            with conn, conn.cursor() as cur:
                record_check(cur, context.run.run_id, f"freshness_{platform}", f"raw/{table}", passed=fresh,
                             severity="ok" if fresh else "warning", blocking=False,
                             details={"newest_day": newest, "age_days": age, "allowed_days": allowed_now})
        return dg.AssetCheckResult(passed=fresh, severity=dg.AssetCheckSeverity.WARN,
                                   metadata={"newest_day": str(newest), "age_days": age if age is not None else -1,
                                             "allowed_days": allowed_now})

    return check


def last_update_checks() -> list[dg.AssetChecksDefinition]:
    checks = []
    for spec in platforms().values():
        lower_bound = 2 * schedule_interval(settings_for(spec).schedule) + timedelta(hours=1)
        checks += dg.build_last_update_freshness_checks(
            assets=[dg.AssetKey(["raw", table]) for table in spec.streams], lower_bound_delta=lower_bound)
    return checks


def freshness_checks() -> tuple[list[dg.AssetChecksDefinition], dg.SensorDefinition]:
    """Data-freshness checks + last-update checks, and the sensor that evaluates the latter."""
    last_update = last_update_checks()
    sensor = dg.build_sensor_for_freshness_checks(freshness_checks=last_update,
                                                  default_status=dg.DefaultSensorStatus.RUNNING)
    return [build_data_freshness_check(spec) for spec in platforms().values()] + last_update, sensor
