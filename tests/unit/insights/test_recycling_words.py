"""Dated words (insights/recycling/words.py): what makes a recycled post read as old news, and the
numbers and common words that must not count."""

import pytest

from insights.recycling.words import dated_words


@pytest.mark.parametrize(("text", "expected"), [
    ("2025 tips for better sourdough", ["2025"]),
    ("Best of #2025", ["#2025"]),
    ("WWDC recap #wwdc2024", ["#wwdc2024"]),
    ("Christmas cookies #xmas", ["christmas", "#xmas"]),
    ("Today's deal ends tonight", ["today", "tonight"]),
    ("This week in tech", ["this week"]),
    ("Meet me on March 14", ["march 14"]),
    ("May 5 giveaway", ["may 5", "giveaway"]),
    ("14th of March picnic", ["14th of march"]),
    ("Recap 2025-03-14", ["2025-03-14"]),
    ("Recap 14/03/2025", ["14/03/2025"]),
    ("June road trip", ["june"]),
    ("New Year\u2019s Eve party", ["new year's"]),
    ("Black Friday haul, Super Bowl snacks", ["black friday", "super bowl"]),
])
def test_dated_words_are_found(text, expected):
    assert dated_words(text) == expected


@pytest.mark.parametrize("text", [
    "Top 10 tips for better sourdough",   # a count, not a year
    "Pasta in 10 minutes #cooking",
    "I tried ramen for a week",           # "a week" is a duration, not a date
    "New recipes every week",
    "You may like this one",              # may / march are words too
    "March on, friends",
    "1/2 cup of flour",                   # a fraction
    "24/7 support", "4.5 stars", "5k run", "2000 subscribers", "1500 calories",
    "The easy pasta guide",
    "May 5 tips for beginners",           # a count after a month-like word
])
def test_undated_text_has_none(text):
    assert dated_words(text) == []


def test_title_and_caption_are_both_read_and_unknown_text_is_skipped():
    assert dated_words("Cozy lamp", None, "Made for Halloween") == ["halloween"]
    assert dated_words(None, None) == []
