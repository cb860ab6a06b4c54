"""The alert settings in tidemark.yaml (`insights.alerts`): defaults, and errors naming the key."""

import pytest

from core.settings import ConfigError
from core.workspace import load_workspace

HEAD = "workspace: {id: ws, name: WS}\n"


def load(tmp_path, text: str):
    path = tmp_path / "tidemark.yaml"
    path.write_text(HEAD + text)
    return load_workspace(path, {})


def test_absent_section_means_the_defaults(tmp_path):
    alerts = load(tmp_path, "").insights.alerts
    assert (alerts.enabled, alerts.factor, alerts.min_views, alerts.close_after_days) == (True, 3.0, 1000, 2)


def test_a_value_is_read(tmp_path):
    alerts = load(tmp_path, "insights:\n  alerts: {factor: 4, metrics: [views], drop_fraction: 0.3}\n").insights.alerts
    assert (alerts.factor, alerts.metrics, alerts.drop_fraction) == (4.0, ["views"], 0.3)


@pytest.mark.parametrize(("text", "key", "words"), [
    ("insights:\n  alerts: {factor: 0.5}\n", "insights.alerts.factor", "greater than 1"),
    ("insights:\n  alerts: {drop_fraction: 1.5}\n", "insights.alerts.drop_fraction", "less than 1"),
    ("insights:\n  alerts: {metrics: [likes]}\n", "insights.alerts.metrics", "'views' or 'engagements'"),
    ("insights:\n  alerts: {factr: 3}\n", "insights.alerts.factr", "Extra inputs are not permitted"),
])
def test_a_bad_value_names_the_key(tmp_path, text, key, words):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, text)
    assert key in str(error.value) and words in str(error.value)
