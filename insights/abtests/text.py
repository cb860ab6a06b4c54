"""The summary a finished test sends to the webhook: the verdict, every variant's rate, the lift."""

from __future__ import annotations

import math

import pandas as pd


def summary(rows: pd.DataFrame) -> str:
    """One test's rows (evaluate_test) in words."""
    first = rows.iloc[0]
    verdict = {
        "winner": f"winner: {first['winner']}",
        "inconclusive": "inconclusive (no significant difference)",
        "insufficient": f"insufficient sample (fewer than {first['min_sample']:,} trials in a variant)",
        "running": "running",
    }[first["status"]]
    lines = [f"A/B test {first['test_name']} finished, {verdict}, p = {_p(first['p_value'])} "
             f"(α = {first['alpha']:g}; {first['metric']}, {first['start_date']}..{first['end_date']})",
             f"Hypothesis: {first['hypothesis']}"]
    for row in rows.itertuples(index=False):
        line = f"- {row.variant}: {_pct(row.rate)} ({row.successes:,.0f} of {row.trials:,.0f}, {row.posts} posts)"
        if row.is_control:
            line += " — control"
        elif not math.isnan(row.lift_vs_control):
            line += (f" — lift {_signed(row.lift_vs_control)} "
                     f"[{_ci(1 - row.alpha)} {_signed(row.lift_ci_low)}, {_signed(row.lift_ci_high)}]")
        lines.append(line)
    if first["note"]:
        lines.append(f"Note: {first['note']}")
    return "\n".join(lines)


def _p(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.3g}"


def _pct(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.2%}"


def _signed(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:+.1%}"


def _ci(confidence: float) -> str:
    return f"{confidence:.0%} CI"
