"""`competitors:` in tidemark.yaml: at most 20 per platform, only where a public API exists, read with
an account of the platform; each error names the key (docs/insights-benchmarks.md)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.settings import ConfigError
from core.workspace import load_workspace
from ingestion.registry import connectors, platforms
from simulator.competitors import gone_since, is_gone

HEAD = "workspace: {id: demo, name: Demo, simulated: true}\nplatforms:\n"
YOUTUBE = "  youtube:\n    competitors: {rivals}\n    accounts:\n      - id: UC1\n"


def load(tmp_path: Path, text: str):
    path = tmp_path / "tidemark.yaml"
    path.write_text(HEAD + text)
    return load_workspace(path, platforms())


def test_up_to_twenty_competitors_load(tmp_path):
    rivals = [f"UCrival{n:02d}" for n in range(20)]
    assert load(tmp_path, YOUTUBE.format(rivals=rivals)).competitors("youtube") == rivals


def test_twenty_one_competitors_are_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"platforms\.youtube\.competitors: .*21 competitors listed; at most 20"):
        load(tmp_path, YOUTUBE.format(rivals=[f"UCrival{n:02d}" for n in range(21)]))


def test_duplicate_and_empty_handles_are_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"duplicate competitor\(s\): rival"):
        load(tmp_path, YOUTUBE.format(rivals=["rival", "@Rival"]))
    with pytest.raises(ConfigError, match="empty competitor handle at position"):
        load(tmp_path, YOUTUBE.format(rivals=["rival", " "]))


@pytest.mark.parametrize("platform", ["tiktok", "linkedin"])
def test_platforms_without_a_public_competitor_api_refuse_competitors(tmp_path, platform):
    with pytest.raises(ConfigError, match=rf"platforms\.{platform}\.competitors: .*not available there"):
        load(tmp_path, f"  {platform}:\n    competitors: [rival]\n    accounts:\n      - id: '1'\n")


def test_competitors_need_an_account_to_read_them_with(tmp_path):
    with pytest.raises(ConfigError, match=r"platforms\.x\.competitors: add an account first"):
        load(tmp_path, "  x:\n    competitors: [rival]\n")


def test_each_platform_declares_its_competitor_api_once():
    declared = {name: item.spec.competitors is not None for name, item in connectors().items()}
    fetchers = {name: item.fetch_competitor is not None for name, item in connectors().items()}
    assert declared == fetchers
    assert declared == {"facebook": True, "instagram": True, "linkedin": False, "tiktok": False, "x": True,
                        "youtube": True}


def test_the_disappearing_rule():
    noon = datetime(2026, 11, 19, 12, tzinfo=UTC)
    assert gone_since("gone_20261120_chef") == date(2026, 11, 20)
    assert not is_gone("gone_20261120_chef", noon)
    assert is_gone("gone_20261120_chef", noon.replace(day=20, hour=0))
    assert is_gone("UCgone_always", noon)
    assert gone_since("rival_kitchen") is None and not is_gone("rival_kitchen", noon)
