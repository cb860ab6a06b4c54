"""Same seed + window => byte-identical landing zones; the CLI writes the same; size and speed."""

from __future__ import annotations

import gzip
from pathlib import Path

from simulator.community import generate, write_files
from simulator.community.__main__ import main

START, END = "2026-11-16T00:00:00Z", "2026-11-18T00:00:00Z"
FAULTS = {"duplicates": 5, "late": 3, "late_days": 1, "clock_skew": 4, "malformed": 4, "unknown_events": 2,
          "burst": True}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_writes_are_byte_identical(tmp_path):
    a = write_files(tmp_path / "a", START, END, seed=9, members=50, faults=FAULTS)
    b = write_files(tmp_path / "b", START, END, seed=9, members=50, faults=FAULTS)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert a.truth == b.truth and a.faults == b.faults and a.files == b.files
    c = write_files(tmp_path / "c", START, END, seed=10, members=50, faults=FAULTS)
    assert snapshot(tmp_path / "c") != snapshot(tmp_path / "a") and c.truth != a.truth


def test_gzip_is_deterministic_and_holds_the_same_lines(tmp_path):
    plain = write_files(tmp_path / "p", START, END, seed=9, members=30)
    z1 = write_files(tmp_path / "z1", START, END, seed=9, members=30, compress=True)
    write_files(tmp_path / "z2", START, END, seed=9, members=30, compress=True)
    assert snapshot(tmp_path / "z1") == snapshot(tmp_path / "z2")
    assert all(name.endswith(".ndjson.gz") for name in z1.files)
    for name, zname in zip(plain.files, z1.files, strict=True):
        assert gzip.decompress((tmp_path / "z1" / zname).read_bytes()) == (tmp_path / "p" / name).read_bytes()


def test_cli_writes_what_write_files_writes(tmp_path, capsys):
    assert main(["--out", str(tmp_path / "cli"), "--start", START, "--end", END, "--seed", "9", "--members", "30",
                 "--faults", '{"duplicates": 2}', "--truth", str(tmp_path / "truth.json")]) == 0
    write_files(tmp_path / "api", START, END, seed=9, members=30, faults={"duplicates": 2})
    assert snapshot(tmp_path / "cli") == snapshot(tmp_path / "api")
    assert (tmp_path / "truth.json").exists() and '"files": 48' in capsys.readouterr().out
    assert main(["--out", str(tmp_path / "x"), "--start", START, "--end", END, "--faults", '{"nope": 1}']) == 2


def test_200_members_for_7_days_have_volume_that_scales_linearly(tmp_path):
    # (speed is a benchmark's business: benchmarks/bench_community_ingest.py times the generator)
    week = write_files(tmp_path / "w", "2026-11-16", "2026-11-23", seed=1, members=200)
    assert week.lines > 20_000 and len(week.files) == 7 * 24
    # summed over three seeds: one seed's first 100 members can be a quiet or a busy draw
    member_lines = {n: sum(1 for seed in (1, 2, 3)
                           for _, ev in generate("2026-11-16", "2026-11-18", seed=seed, members=n).deliveries
                           if ev["user_id"] is not None) for n in (100, 400)}
    assert 3.2 < member_lines[400] / member_lines[100] < 4.8
