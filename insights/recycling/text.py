"""The one-sentence reason of a candidate, in words a creator understands:
"Still gets 38% of its first-month views; top 10% engagement on the account; no dated words;
last ran 7 months ago." A part that is unknown says so (and that it was not counted)."""

from __future__ import annotations

import math


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def still_arriving_text(first, last, note) -> str:
    if not (_known(first) and _known(last)):
        return f"{note or 'first-month views unknown'} (not counted)"
    if first == 0:
        return "gets views now though it had none in its first month" if last > 0 else "no views since its first month"
    ratio = last / first
    if ratio >= 1:
        return f"gets {ratio:.1f}× its first-month views now"
    return f"still gets {ratio:.0%} of its first-month views"


def engagement_text(percentile) -> str:
    if not _known(percentile):
        return "engagement rate unknown or no other post to compare (not counted)"
    if percentile >= 1:
        return "the highest engagement rate on the account"
    if percentile >= 0.5:
        return f"top {max(1, round((1 - percentile) * 100))}% engagement on the account"
    if percentile <= 0:
        return "the lowest engagement rate of the account's older posts"
    return f"engagement above {round(percentile * 100)}% of the account's older posts"


def timeless_text(words) -> str:
    return f"dated words: {words}" if words else "no dated words"


def ago(days: int) -> str:
    """12 days / 7 months / 2.5 years."""
    if days < 45:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 730:
        months = round(days / 30.44)
        return f"{months} month{'s' if months != 1 else ''} ago"
    return f"{days / 365.25:.1f} years ago"


def last_ran_text(days: int, source: str) -> str:
    how = {"copy": "last ran as a copy", "recycled_list": "last recycled"}.get(source, "last ran")
    return f"{how} {ago(days)}"


def reason(row) -> str:
    parts = [still_arriving_text(row.views_first_30d, row.views_last_30d, row.still_arriving_note),
             engagement_text(row.engagement_part), timeless_text(row.dated_words),
             last_ran_text(int(row.days_since_last_ran), row.last_ran_source)]
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]
