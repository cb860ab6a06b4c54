"""The thin GX 1.x adapter: validate a raw table's new rows, quarantine, record, advance.

1. Validate rows with raw_id above the table's watermark (`ops.validation_watermarks`).
2. Rows failing an error-severity expectation go to `ops.quarantine` (raw id, payload, reason);
   staging excludes them. Nothing is deleted from raw.
3. The outcome is kept in `ops.check_results`; the watermark moves past the validated rows.
All three writes commit together.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from dataclasses import dataclass, field

import great_expectations as gx

from expectations.results import record_check
from expectations.rules import TableSuite

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
MAX_EXAMPLES = 5


@dataclass
class ExpectationOutcome:
    name: str
    severity: str
    success: bool
    unexpected_count: int
    examples: list


@dataclass
class ValidationOutcome:
    check_name: str
    table: str
    rows_checked: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    quarantined: int = 0

    @property
    def errors(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "error"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "warning"]

    @property
    def passed(self) -> bool:
        return not self.errors


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg2://", 1) if url.startswith("postgresql://") else url


def run_gx(url: str, spec: TableSuite, watermark: int):
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_sql(name="warehouse", connection_string=_sqlalchemy_url(url))
    asset = source.add_query_asset(name=spec.table, query=spec.query(watermark))
    batch = asset.add_batch_definition_whole_table("new_rows").get_batch()
    return batch.validate(spec.suite(), result_format="SUMMARY")


def bad_ids(conn, spec: TableSuite, watermark: int, rule) -> list[int]:
    """Every offending row of a failed rule (GX reports counts and a sample; quarantine needs all)."""
    with conn.cursor() as cur:
        cur.execute(f"select raw_id from ({spec.query(watermark)}) as batch where {rule.bad_rows}")
        ids = [row[0] for row in cur.fetchall()]
    conn.commit()
    return ids


def validate_table(url: str, conn, spec: TableSuite, run_id: str, asset_key: str) -> ValidationOutcome:
    with conn.cursor() as cur:
        cur.execute(
            "select last_raw_id from ops.validation_watermarks where raw_table = %s and check_name = %s",
            (spec.table, spec.name),
        )
        row = cur.fetchone()
        watermark = row[0] if row else 0
        cur.execute(f"select count(*), coalesce(max(raw_id), %s) from raw.{spec.table} where raw_id > %s",
                    (watermark, watermark))
        rows_checked, new_watermark = cur.fetchone()
    conn.commit()
    outcome = ValidationOutcome(spec.name, spec.table, rows_checked)
    reasons: dict[int, list[str]] = defaultdict(list)
    if rows_checked:
        by_description = {rule.description: rule for rule in spec.all_rules}
        for result in run_gx(url, spec, watermark).results:
            rule = by_description[result.expectation_config.description]
            ids = [] if result.success else bad_ids(conn, spec, watermark, rule)
            outcome.outcomes.append(ExpectationOutcome(
                rule.description, rule.severity, bool(result.success), len(ids), ids[:MAX_EXAMPLES]))
            if rule.severity == "error":
                for raw_id in ids:
                    reasons[raw_id].append(rule.description)
    with conn, conn.cursor() as cur:
        if reasons:
            cur.execute(
                f"insert into ops.quarantine (raw_table, raw_id, platform, account_id, record_key, payload, run_id, "
                f"check_name, reason) select %s, raw.raw_id, %s, raw.account_id, raw.record_key, raw.payload, %s, %s, "
                f"bad.reason from unnest(%s::bigint[], %s::text[]) as bad (raw_id, reason) "
                f"join raw.{spec.table} as raw on raw.raw_id = bad.raw_id on conflict do nothing",
                (spec.table, spec.platform, run_id, spec.name, list(reasons), ["; ".join(r) for r in reasons.values()]),
            )
            outcome.quarantined = len(reasons)
        record_suite(cur, run_id, spec.name, spec.table, asset_key, outcome, new_watermark,
                     {"rows_checked": rows_checked})
    return outcome


def record_suite(cur, run_id: str, name: str, table: str, asset_key: str, outcome: ValidationOutcome,
                 watermark: int, details: dict) -> None:
    """A suite's result in ops.check_results and how far it has read in ops.validation_watermarks
    (in the transaction that quarantined its rows)."""
    details = details | {"quarantined": outcome.quarantined,
                         "failed": [o.__dict__ for o in outcome.outcomes if not o.success]}
    record_check(cur, run_id, name, asset_key, passed=outcome.passed,
                 severity="error" if outcome.errors else ("warning" if outcome.warnings else "ok"),
                 failed_rows=outcome.quarantined, details=details)
    cur.execute(
        "insert into ops.validation_watermarks (raw_table, check_name, last_raw_id) values (%s, %s, %s) "
        "on conflict (raw_table, check_name) do update set last_raw_id = excluded.last_raw_id, updated_at = now()",
        (table, name, watermark),
    )
