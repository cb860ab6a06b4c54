"""Row counts of the gated marts vs the previous accepted run: a sudden drop blocks the reports.

A mart that loses more than MAX_DROP of its rows since the last accepted count is a failure, not
a quiet, half-empty report. Counts are kept in `ops.row_count_history`; the baseline is the latest
*passed* count, so a drop keeps failing until the data comes back or someone accepts the new
level (docs/quality.md: insert a passed row). Growth never fails.
"""

from __future__ import annotations

from expectations.results import record_check

MAX_DROP = 0.5  # fail when a mart has fewer than half the rows it had at the last accepted run
# The facts and dimensions every report reads; they only grow with history. Period-windowed marts
# (comparisons, top posts) legitimately change size and are covered by their dbt tests instead.
COUNTED_MARTS = ("dim_accounts", "dim_posts", "fct_post_metrics_daily", "fct_account_metrics_daily")


def evaluate_row_count(conn, run_id: str, mart: str) -> dict:
    relation = f"marts.{mart}"
    with conn, conn.cursor() as cur:
        cur.execute(f"select count(*) from {relation}")
        count = cur.fetchone()[0]
        cur.execute("select row_count from ops.row_count_history where relation = %s and passed "
                    "order by recorded_at desc, row_count_id desc limit 1", (relation,))
        row = cur.fetchone()
        baseline = row[0] if row else None
        passed = not baseline or count >= baseline * (1 - MAX_DROP)
        cur.execute("insert into ops.row_count_history (run_id, relation, row_count, baseline, passed) "
                    "values (%s, %s, %s, %s, %s)", (run_id, relation, count, baseline, passed))
        outcome = {"relation": relation, "row_count": count, "baseline": baseline, "max_drop": MAX_DROP}
        record_check(cur, run_id, f"row_count_{mart}", f"marts/{mart}", passed=passed,
                     severity="ok" if passed else "error", failed_rows=0 if passed else baseline - count,
                     details=outcome)
    return {**outcome, "passed": passed}
