"""The words of alerts: ordinals of a post's day, numbers, the one delivery message per run."""

import pytest

from insights.alerts.text import delivery_text, number, ordinal, post_reason


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                         (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th")])
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_numbers_and_unknown():
    assert (number(1200.4), number(48213), number(3.5), number(3.0), number(float("nan"))) == (
        "1,200", "48,213", "3.5", "3", "?")


def test_reason_for_a_post_on_its_publish_day_and_with_nothing_expected():
    assert post_reason("views", 5760, 1200, 0) == "views 4.8× the expected 1,200 for a post on its 1st day"
    assert "usually get none" in post_reason("views", 2000, 0, 3)


def test_delivery_text_lists_at_most_the_limit():
    messages = [f"alert {i}" for i in range(25)]
    lines = delivery_text(messages, limit=20).splitlines()
    assert lines[0] == "Tidemark alerts: 25 new" and len(lines) == 22
    assert lines[1] == "• alert 0" and lines[-1].startswith("…and 5 more")
