"""abtests.yaml: every bad declaration fails with a message naming the test and the key."""

import re
import textwrap

import pytest

from insights.abtests.config import ABTestConfigError, load_abtests

GOOD = """
tests:
  - name: shorts_vs_long
    hypothesis: Shorts keep more of their viewers
    metric: engaged_views / views
    alpha: 0.05
    min_sample: 1000
    start: 2026-10-01
    end: 2026-10-31
    variants:
      - {name: long, where: {platform: youtube, format: long_video}}
      - {name: short, where: {platform: youtube, format: short}}
  - name: listed
    hypothesis: A question in the caption earns clicks
    metric: clicks / impressions
    min_sample: 500
    start: 2026-10-01
    end: 2026-10-15
    control: plain
    variants:
      - {name: question, posts: ["linkedin:1", "x:2"]}
      - {name: plain, posts: ["linkedin:3"]}
"""


def _load(tmp_path, text: str):
    path = tmp_path / "abtests.yaml"
    path.write_text(textwrap.dedent(text))
    return load_abtests(path)


def _error(tmp_path, text: str) -> str:
    with pytest.raises(ABTestConfigError) as caught:
        _load(tmp_path, text)
    return str(caught.value)


def test_a_good_file_loads(tmp_path):
    first, second = _load(tmp_path, GOOD)
    assert (first.successes, first.trials, first.control_name) == ("engaged_views", "views", "long")
    assert first.variants[1].where.given() == {"platform": ["youtube"], "format": ["short"]}
    assert (second.successes, second.trials, second.control_name, second.alpha) == ("clicks", "impressions",
                                                                                    "plain", 0.05)


def test_absent_file_is_no_tests_unless_the_variable_names_it(tmp_path, monkeypatch):
    monkeypatch.delenv("TIDEMARK_ABTESTS_CONFIG", raising=False)
    assert load_abtests(tmp_path / "absent.yaml") == []
    monkeypatch.setenv("TIDEMARK_ABTESTS_CONFIG", str(tmp_path / "absent.yaml"))
    with pytest.raises(ABTestConfigError, match="TIDEMARK_ABTESTS_CONFIG: .*absent.yaml does not exist"):
        load_abtests()


@pytest.mark.parametrize(("change", "expected"), [
    (("alpha: 0.05", "alpha: 0.05\n    colour: red"), r"tests\[0:shorts_vs_long\]\.colour: Extra inputs"),
    (("alpha: 0.05", "alpha: 0.7"), r"tests\[0:shorts_vs_long\]\.alpha: alpha 0.7 is not in \(0, 0.5\]"),
    (("alpha: 0.05", "alpha: 0"), r"alpha 0.0 is not in"),
    (("end: 2026-10-31", "end: 2026-09-30"), r"tests\[0:shorts_vs_long\]: end 2026-09-30 is before start"),
    (("      - {name: short, where: {platform: youtube, format: short}}\n", ""), r"1 variant\(s\): a test needs "
                                                                               "at least 2"),
    (("engaged_views / views", "views / engaged_views"), r"\.metric: 'views / engaged_views': expected"),
    (('["linkedin:3"]', '["linkedin:3", "x:2"]'), r"tests\[1:listed\]: post x:2 is in variants 'question' and "
                                                 r"'plain'"),
    (("format: short}", "format: shorts}"), r"variants\[1:short\]\.where\.format\[0\]: Input should be"),
    (("control: plain", "control: other"), r"control 'other' is not one of the variants"),
    (('["linkedin:3"]', '["3"]'), r"'3' is not a post key"),
    (("{platform: youtube, format: short}", "{published_hour_local: [7, 25]}"), r"hours are 0\.\.23"),
    (("min_sample: 500", "min_sample: 0"), r"tests\[1:listed\]\.min_sample: Input should be greater"),
    (("name: listed", "name: shorts_vs_long"), r"test names repeat: shorts_vs_long"),
])
def test_bad_declarations_name_the_test_and_the_key(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    message = _error(tmp_path, GOOD.replace(old, new, 1))
    assert message.startswith("Invalid A/B test declarations")
    assert re.search(expected, message), message


def test_a_variant_needs_posts_or_attributes_not_both(tmp_path):
    both = GOOD.replace('{name: plain, posts: ["linkedin:3"]}',
                        '{name: plain, posts: ["linkedin:3"], where: {format: text}}')
    assert "variant 'plain': give either `posts`" in _error(tmp_path, both)


def test_invalid_yaml_is_named(tmp_path):
    assert "is not valid YAML" in _error(tmp_path, "tests: [unclosed")


def test_the_demo_declarations_load(monkeypatch):
    from core.settings import PROJECT_ROOT

    monkeypatch.delenv("TIDEMARK_ABTESTS_CONFIG", raising=False)
    tests = load_abtests()
    assert (PROJECT_ROOT / "abtests.yaml").exists()
    assert all(len(t.variants) >= 2 and t.start <= t.end for t in tests) and len(tests) >= 2
