"""One rate formula: the reports' `rate` helper rounds exactly like dbt's `rate_pct` macro.

The macro is rendered from dbt_project/macros/rates.sql (Jinja with the `do` extension, as dbt has) and evaluated by Postgres;
halves at the fifth decimal are where float rounding and numeric rounding used to differ.
"""

from __future__ import annotations

import random

import jinja2
import psycopg2

from core.settings import PROJECT_ROOT
from reporting.metrics import rate


def rate_pct_sql(numerator: str, denominator: str) -> str:
    source = (PROJECT_ROOT / "dbt_project" / "macros" / "rates.sql").read_text()
    return jinja2.Environment(extensions=["jinja2.ext.do"]).from_string(source).module.rate_pct(numerator, denominator)


def test_report_rates_equal_dbt_rates(database_url):
    rng = random.Random(3)
    pairs = [(1, 8), (1, 3), (2, 3), (5, 0), (0, 7), (125, 1_000_000), (5, 100_000), (15, 100_000_000),
             (1, 16), (3, 160_000), (7, 32)] + [(k, 2_000_000) for k in range(1, 40, 2)]  # exact halves
    pairs += [(rng.randint(0, 10_000), rng.randint(0, 1_000_000)) for _ in range(500)]
    values = ", ".join(f"({n}, {d})" for n, d in pairs)
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute(f"select n, d, {rate_pct_sql('n', 'd')} from (values {values}) as t (n, d)")
        rows = cur.fetchall()
    mismatches = [(n, d, sql, rate(n, d)) for n, d, sql in rows if (None if sql is None else float(sql)) != rate(n, d)]
    assert not mismatches, mismatches[:5]
    assert rate(5, 0) is None and rate(None, 3) is None  # unknown is NULL, never 0
