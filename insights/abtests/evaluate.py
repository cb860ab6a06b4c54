"""Which posts are in which variant (`resolve`) and a test's verdict (`evaluate_test`): pure pandas.

`resolve` runs for every test before any is evaluated, so an unknown post or two variants sharing a
post stop the run with every problem named. A `where` variant matches the posts published (local
date) in [start, end]; listed posts count whenever they were published. Counts are summed over the
post-days of [start, min(end, yesterday)]; a post-day with either count unknown (NULL), or more
successes than trials, is excluded and reported, never read as 0.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd

from insights.abtests.config import ABTest, ABTestConfigError
from insights.abtests.stats import chi_square, lift, lift_interval, sample_per_variant

POST_COLUMNS = ("post_key", "platform", "account_id", "format", "published_hour_local",
                "published_weekday_local", "published_date_local")
MART_COLUMNS = ("test_name", "variant", "is_control", "hypothesis", "metric", "posts", "trials", "successes",
                "rate", "excluded_post_days", "p_value", "statistic", "dof", "correction", "alpha", "min_sample",
                "lift_vs_control", "lift_ci_low", "lift_ci_high", "status", "winner", "sample_needed",
                "start_date", "end_date", "data_start", "data_end", "note")
FINISHED = ("winner", "inconclusive", "insufficient")
MIN_EXPECTED = 5  # below it the chi-square approximation is rough: said in the note


def resolve(tests: list[ABTest], posts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """test name → (variant, post_key) rows; raises naming every unknown post and every overlap."""
    known = set(posts["post_key"])
    problems, members = [], {}
    for test in tests:
        parts = []
        for variant in test.variants:
            if variant.posts is not None:
                unknown = [p for p in variant.posts if p not in known]
                if unknown:
                    problems.append(f"{test.name}.{variant.name}: unknown post(s) {_few(unknown)} "
                                    "(not in marts.dim_posts)")
                keys = [p for p in variant.posts if p in known]
            else:
                keys = list(posts.loc[_matches(posts, variant.where.given(), test), "post_key"])
            parts.append(pd.DataFrame({"variant": variant.name, "post_key": keys}))
        member = pd.concat(parts, ignore_index=True).drop_duplicates()
        shared = member[member.duplicated("post_key", keep=False)]
        for post_key, rows in shared.groupby("post_key"):
            problems.append(f"{test.name}: post {post_key} matches variants {', '.join(rows['variant'])}: "
                            "variants must not overlap")
        members[test.name] = member
    if problems:
        raise ABTestConfigError("Invalid A/B test declarations:\n" + "\n".join(f"  {p}" for p in problems))
    return members


def _matches(posts: pd.DataFrame, given: dict[str, list], test: ABTest) -> pd.Series:
    published = pd.to_datetime(posts["published_date_local"]).dt.date
    mask = (published >= test.start) & (published <= test.end)
    for key, values in given.items():
        mask &= posts[key].isin(values)
    return mask


def _few(items: list[str], shown: int = 5) -> str:
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def data_window(test: ABTest, today: date) -> tuple[date, date]:
    """The complete days of the test seen so far (start > end when none yet)."""
    return test.start, min(test.end, today - timedelta(days=1))


def evaluate_test(test: ABTest, members: pd.DataFrame, post_days: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per variant (MART_COLUMNS). `post_days`: post_key, metric_date, successes, trials
    (the test's two metrics) of the members' days in the data window."""
    days = post_days.merge(members, on="post_key")
    usable = days["successes"].notna() & days["trials"].notna() & (days["successes"] <= days["trials"])
    order = [v.name for v in test.variants]
    sums = (days[usable].groupby("variant")[["successes", "trials"]].sum()
            .reindex(order, fill_value=0).astype(float))
    excluded = (~usable).groupby(days["variant"]).sum().reindex(order, fill_value=0)
    chi = chi_square(sums["successes"], sums["trials"])
    rates = (sums["successes"] / sums["trials"].where(sums["trials"] > 0)).astype(float)
    status, winner = _verdict(test, chi.p_value, sums["trials"], rates, today)
    required = _required(test, rates)
    control = sums.loc[test.control_name]
    data_start, data_end = data_window(test, today)
    rows = []
    for name in order:
        s, n = sums.loc[name, "successes"], sums.loc[name, "trials"]
        is_control = name == test.control_name
        low, high = (math.nan, math.nan) if is_control else lift_interval(
            control["successes"], control["trials"], s, n, 1 - test.alpha)
        rows.append({
            "test_name": test.name, "variant": name, "is_control": is_control, "hypothesis": test.hypothesis,
            "metric": test.metric, "posts": int((members["variant"] == name).sum()), "trials": n,
            "successes": s, "rate": rates[name], "excluded_post_days": int(excluded[name]),
            "p_value": chi.p_value, "statistic": chi.statistic, "dof": chi.dof, "correction": chi.correction,
            "alpha": test.alpha, "min_sample": test.min_sample,
            "lift_vs_control": math.nan if is_control else lift(control["successes"], control["trials"], s, n),
            "lift_ci_low": low, "lift_ci_high": high, "status": status, "winner": winner,
            "sample_needed": 0 if status == "winner" else (math.nan if math.isnan(required)
                                                           else max(0, required - n)),
            "start_date": test.start, "end_date": test.end, "data_start": data_start,
            "data_end": data_end if data_end >= data_start else None,
            "note": _note(chi, int(excluded.sum()), required),
        })
    return pd.DataFrame(rows, columns=list(MART_COLUMNS))


def _verdict(test: ABTest, p_value: float, trials: pd.Series, rates: pd.Series, today: date) -> tuple[str, str | None]:
    ended = today > test.end
    sample_met = bool((trials >= test.min_sample).all())
    if p_value < test.alpha and sample_met and (ended or test.stop_early):
        return "winner", str(rates.idxmax())
    if not ended:
        return "running", None
    return ("inconclusive" if sample_met else "insufficient"), None


def _required(test: ABTest, rates: pd.Series) -> float:
    """Trials per variant for a verdict: the minimum sample, or more to tell the leader from the
    runner-up at the observed rates (power 0.8); NaN when no difference is observed yet."""
    top = rates.dropna().sort_values(ascending=False)
    if len(top) < 2:
        return math.nan
    needed = sample_per_variant(top.iloc[0], top.iloc[1], test.alpha)
    return math.nan if math.isnan(needed) else float(max(test.min_sample, needed))


def _note(chi, excluded: int, required: float) -> str | None:
    notes = []
    if math.isnan(chi.p_value):
        notes.append("no test yet: a variant has no trials, or no variant has a success (or a failure)")
    elif chi.min_expected < MIN_EXPECTED:
        notes.append(f"smallest expected count {chi.min_expected:.1f} < {MIN_EXPECTED}: the chi-square p-value "
                     "is approximate")
    if excluded:
        notes.append(f"{excluded} post-day(s) without both counts (or with more successes than trials) excluded")
    if math.isnan(required) and not math.isnan(chi.p_value):
        notes.append("no observed difference between the leading variants: sample needed unknown")
    return "; ".join(notes) or None
