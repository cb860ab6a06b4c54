"""The file side of `tidemark privacy erase` and the token match of its SQL, on hand-made files."""

from __future__ import annotations

import re

import pytest

from core.settings import ConfigError
from core.workspace import WorkspaceConfig
from tidemark.privacy.files import scrub_files
from tidemark.privacy.scope import check_workspace, token_pattern

ID = "UCabc-001"


def test_token_pattern_matches_whole_ids_only():
    pattern = re.compile(token_pattern([ID, "post_9"]))
    assert pattern.search(f"youtube:{ID}") and pattern.search('{"sample": ["post_9"]}')
    assert not pattern.search(f"{ID}2") and not pattern.search(f"x{ID}") and not pattern.search("post_99")


def test_scrub_files_deletes_named_files_and_removes_lines_only(tmp_path):
    (tmp_path / "landing" / ID).mkdir(parents=True)
    (tmp_path / "landing" / ID / "day.jsonl").write_text("anything\n")
    log = tmp_path / "dagster" / "run.out"
    log.parent.mkdir()
    log.write_text(f"start\nyoutube 1/2 {ID}: 61 videos\nyoutube 2/2 other: 3 videos\nTest Kitchen done\n")
    binary = tmp_path / "dagster" / "blob.bin"
    binary.write_bytes(b"\0" + ID.encode())
    (tmp_path / "pg").mkdir()
    (tmp_path / "pg" / "data").write_text(ID)  # the database's files: erased through SQL, never edited

    counts = scrub_files(tmp_path, [ID, "Test Kitchen"])

    assert counts == {"files deleted": 1, "files edited": 1, "lines removed": 2}
    assert not (tmp_path / "landing" / ID / "day.jsonl").exists()
    assert log.read_text() == "start\nyoutube 2/2 other: 3 videos\n"
    assert binary.read_bytes() == b"\0" + ID.encode() and (tmp_path / "pg" / "data").read_text() == ID
    assert scrub_files(tmp_path, [ID, "Test Kitchen"]) == {"files deleted": 0, "files edited": 0, "lines removed": 0}


def test_an_unknown_workspace_names_the_known_one():
    config = WorkspaceConfig.model_validate({"workspace": {"id": "demo", "name": "Demo"}})
    assert check_workspace(config, "demo") == "demo"
    with pytest.raises(ConfigError, match=r"--workspace 'other' is not a workspace of this deployment; known: demo"):
        check_workspace(config, "other")


def test_virtual_environments_are_not_walked(tmp_path):
    venv = tmp_path / "superset-venv"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    (venv / "lib" / "mod.py").write_text(f"# {ID}\n")
    assert scrub_files(tmp_path, [ID]) == {"files deleted": 0, "files edited": 0, "lines removed": 0}
    assert (venv / "lib" / "mod.py").read_text() == f"# {ID}\n"
