"""Dated words: what makes a post read as old news when it is posted again.

A small, documented list (docs/insights-recycling.md "Timeless"), matched case-insensitively on
whole words of the title and caption (hashtags included: `#christmas`, `#summer2025`):
- a year 1900–2099 standing alone ("2025 tips"), or at the end of a hashtag (#wwdc2025); other
  numbers are not dates ("top 10 tips", "5k run", "1500 subscribers");
- an explicit date: 2025-03-14, 14/03/2025, 14.03.2025, "March 14", "14 March", "14th of March"
  (a slash date needs its year: "1/2 cup" is a fraction, "24/7" a phrase);
- a month name (January … December); "May" and "March" are also common words, so they count only
  next to a day number or a year ("May 5", "March 2025"), as do the abbreviations (Jan, Feb …);
- relative time: today, tonight, tomorrow, yesterday, this/next/last week, weekend, month, year;
- holidays and events: Christmas, New Year, Halloween, Black Friday, Super Bowl, World Cup, a
  livestream, a premiere, a giveaway …
"""

from __future__ import annotations

import re

MONTHS = ("january", "february", "april", "june", "july", "august", "september", "october", "november",
          "december")
AMBIGUOUS_MONTHS = ("may", "march", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                    "dec")
RELATIVE = ("today", "tonight", "tomorrow", "yesterday", "this week", "next week", "last week", "this weekend",
            "next weekend", "this month", "next month", "last month", "this year", "next year", "last year",
            "right now", "breaking news")
HOLIDAYS = ("christmas", "xmas", "new year", "new year's", "new years", "nye", "halloween", "thanksgiving",
            "easter", "valentine", "valentine's", "valentines", "black friday", "cyber monday", "boxing day",
            "mother's day", "mothers day", "father's day", "fathers day", "independence day", "4th of july",
            "fourth of july", "st patrick's day", "ramadan", "eid", "diwali", "hanukkah", "lunar new year")
EVENTS = ("super bowl", "world cup", "olympics", "election", "livestream", "live stream", "premiere", "giveaway",
          "countdown", "webinar", "keynote", "launch day", "prime day", "back to school")

_NUMBER_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_DAY = _NUMBER_DAY + r"(?:st|nd|rd|th)?"
# a number followed by a unit is a count, not a year ("2000 subscribers") or a day ("May 5 tips")
_COUNTS = r"k\b|%|years|followers|subscribers|views|likes|calories|steps|miles|km\b"
_COUNT = rf"(?!\s*(?:{_COUNTS}))"
_UNIT = rf"(?!\s*(?:{_COUNTS}|min|minutes|hours|days|tips|ways|things|ideas|recipes))"
_YEAR = r"(?:19|20)\d{2}"
_MONTH_ANY = "|".join(MONTHS + AMBIGUOUS_MONTHS)
_PHRASES = "|".join(re.escape(p) for p in sorted(RELATIVE + HOLIDAYS + EVENTS, key=len, reverse=True))
PATTERNS = (
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),                              # 2025-03-14
    re.compile(rf"\b{_NUMBER_DAY}/{_NUMBER_DAY}/\d{{2,4}}\b"),                  # 14/03/2025 (not 1/2, 24/7)
    re.compile(rf"\b{_NUMBER_DAY}\.{_NUMBER_DAY}\.\d{{2,4}}\b"),                # 14.03.2025 (not 4.5 stars)
    re.compile(rf"\b(?:{_MONTH_ANY})\.?\s+{_DAY}\b{_UNIT}"),                  # March 14 (not "May 5 tips")
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?:{_MONTH_ANY})\b"),               # 14 March, 14th of March
    re.compile(rf"\b(?:{_MONTH_ANY})\.?\s+{_YEAR}\b"),                     # May 2025
    re.compile(rf"\b(?:{'|'.join(MONTHS)})\b"),                            # January … (not may/march)
    re.compile(rf"(?<![\w#])#?[a-z]*{_YEAR}\b(?![\d.,])(?!\s*-?\s*\d){_COUNT}"),  # 2025, #2025, #wwdc2025
    re.compile(rf"(?<![\w])#?(?:{_PHRASES})\b"),                           # today, #christmas, world cup
)


def dated_words(*texts: str | None) -> list[str]:
    """The dated words found in the texts, lowercased, in order of appearance, each once."""
    text = " ".join(t for t in texts if t).lower().replace("\u2019", "'")
    found: list[tuple[int, str]] = []
    taken: list[range] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = range(match.start(), match.end())
            if any(span.start < t.stop and t.start < span.stop for t in taken):
                continue  # "march 14" already covers its "14" and its "march"
            taken.append(span)
            found.append((match.start(), match.group(0).strip()))
    return list(dict.fromkeys(word for _, word in sorted(found)))
