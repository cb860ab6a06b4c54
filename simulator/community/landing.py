"""Generate a whole window and write it as a landing zone of hourly NDJSON files.

Layout (the contract's):
    <landing>/events/<YYYY-MM-DD>/<HHMMSS>-<seq>.ndjson[.gz]
    <landing>/reference/communities.json
One file per hour of *delivery* (`received_at`, UTC): the directory and HHMMSS are
that hour's start, `seq` numbers the files 000001... in delivery order. Lines are
ordered by `received_at`, so a file may hold events of earlier days (late and
duplicate deliveries); anything received after the window closed goes to its last
file. Output is a pure function of (seed, start, end, communities, members,
faults): the same arguments give byte-identical files (gzip without name/mtime).
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.clock import as_utc
from simulator.community.backend import server_events
from simulator.community.envelope import HOUR_MS, to_ms
from simulator.community.faults import CommunityFaults, FaultLog, apply
from simulator.community.members import Roster, make_members
from simulator.community.places import Community, make_communities
from simulator.community.sessions import MemberSim
from simulator.community.truth import Truth
from simulator.community.visitors import visitor_events


@dataclass
class Generated:
    """A generated window in memory: deliveries are (received ms, event dict or raw bad line)."""

    communities: list[Community]
    deliveries: list[tuple[int, Any]]
    faults: FaultLog
    start_ms: int
    end_ms: int

    def files(self) -> list[tuple[int, list[str]]]:
        """(hour ms, lines) per delivery hour, in order."""
        last = (self.end_ms - 1) - (self.end_ms - 1) % HOUR_MS
        out: dict[int, list[str]] = {}
        for recv, ev in self.deliveries:
            hour = min(recv - recv % HOUR_MS, last)
            out.setdefault(hour, []).append(ev if isinstance(ev, str) else
                                            json.dumps(ev, separators=(",", ":"), ensure_ascii=False))
        return sorted(out.items())

    def truth(self) -> Truth:
        return Truth.from_events(ev for _, ev in self.deliveries if isinstance(ev, dict))


def generate(start: datetime | str, end: datetime | str, seed: int, communities: int = 4, members: int = 200,
             faults: dict | str | CommunityFaults | None = None) -> Generated:
    start_dt, end_dt = as_utc(start), as_utc(end)
    if end_dt <= start_dt:
        raise ValueError("end must be after start")
    fault_cfg = faults if isinstance(faults, CommunityFaults) else CommunityFaults.parse(faults)
    start_ms, end_ms = to_ms(start_dt), to_ms(end_dt)
    comms = make_communities(seed, communities, start_dt)
    people = make_members(seed, members, start_ms, end_ms, comms)
    roster = Roster(people)
    out: list[tuple[int, Any]] = []
    for m in people:
        MemberSim(seed, m, comms, roster, start_ms, end_ms, out).run()
    visitor_events(seed, members, comms, start_ms, end_ms, out)
    server_events(seed, start_ms, end_ms, out)
    out.sort(key=lambda d: (d[0], d[1]["message_id"]))
    log = apply(fault_cfg, out, seed, start_ms, end_ms)
    out.sort(key=lambda d: (d[0], d[1] if isinstance(d[1], str) else d[1]["message_id"]))
    return Generated(comms, out, log, start_ms, end_ms)


@dataclass(frozen=True)
class Manifest:
    landing: Path
    files: tuple[str, ...]     # event files, relative to `landing`, in delivery order
    reference: str             # "reference/communities.json"
    lines: int                 # lines written (bad lines and duplicates included)
    faults: FaultLog
    truth: Truth


def write_files(landing: Path, start: datetime | str, end: datetime | str, seed: int, communities: int = 4,
                members: int = 200, faults: dict | str | None = None, *, compress: bool = False) -> Manifest:
    """Generate the window and write it under `landing` (existing files of other names are left alone)."""
    landing = Path(landing)
    gen = generate(start, end, seed, communities, members, faults)
    names, lines = [], 0
    for seq, (hour, rows) in enumerate(gen.files(), start=1):
        at = datetime.fromtimestamp(hour / 1000, UTC)
        rel = f"events/{at:%Y-%m-%d}/{at:%H%M%S}-{seq:06d}.ndjson" + (".gz" if compress else "")
        path = landing / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = ("\n".join(rows) + "\n").encode("utf-8")
        if compress:
            buf = io.BytesIO()
            with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
                gz.write(data)
            data = buf.getvalue()
        path.write_bytes(data)
        names.append(rel)
        lines += len(rows)
    ref = landing / "reference" / "communities.json"
    ref.parent.mkdir(parents=True, exist_ok=True)
    ref.write_text(json.dumps([c.to_dict() for c in gen.communities], indent=2) + "\n", encoding="utf-8")
    return Manifest(landing, tuple(names), "reference/communities.json", lines, gen.faults, gen.truth())


STATE = "reference/simulation.json"
LOOKAHEAD_MS = 24 * HOUR_MS  # generate a day past the end, so a session crossing it is whole later too


@dataclass(frozen=True)
class Extension:
    start: datetime          # where the simulated history begins (fixed by the first call)
    written_through: datetime
    files: tuple[str, ...]   # the files this call added
    lines: int


def extend_files(landing: Path, start: datetime | str, end: datetime | str, seed: int, communities: int = 4,
                 members: int = 200) -> Extension:
    """Bring a landing zone up to `end` without touching what is there: the first call fixes the
    history's start (kept in reference/simulation.json); later calls generate again from that start
    and write only the hours delivered since the previous `end`, so a day's file never changes once
    written (what a demo that runs every day needs; `write_files` is one fixed window, for tests).
    Cost grows with the history's length: the whole history is generated on each call."""
    landing = Path(landing)
    state_path = landing / STATE
    wanted = {"seed": seed, "communities": communities, "members": members}
    state = json.loads(state_path.read_text()) if state_path.exists() else None
    if state is not None and {k: state.get(k) for k in wanted} != wanted:
        raise ValueError(f"{landing} holds a simulated community made with {state}, not {wanted}: "
                         f"empty the landing folder (make clean-data) or use the same settings")
    first = as_utc(state["start"]) if state else as_utc(start)
    done = as_utc(state["written_through"]) if state else first
    end_dt = as_utc(end)
    if end_dt <= done:
        return Extension(first, done, (), 0)
    done_ms, end_ms = to_ms(done), to_ms(end_dt)
    gen = _generate_past(first, end_ms, seed, communities, members)
    hours: dict[int, list[str]] = {}
    for recv, ev in gen.deliveries:
        if done_ms <= recv < end_ms:
            hours.setdefault(recv - recv % HOUR_MS, []).append(json.dumps(ev, separators=(",", ":"),
                                                                          ensure_ascii=False))
    names, lines = [], 0
    for hour, rows in sorted(hours.items()):
        at = datetime.fromtimestamp(hour / 1000, UTC)
        rel = f"events/{at:%Y-%m-%d}/{at:%H%M%S}-{(hour - to_ms(first)) // HOUR_MS + 1:06d}.ndjson"
        _write_atomic(landing / rel, "\n".join(rows) + "\n")
        names.append(rel)
        lines += len(rows)
    _write_atomic(landing / "reference" / "communities.json",
                  json.dumps([c.to_dict() for c in gen.communities], indent=2) + "\n")
    # last, so a crash before it only means the same files are written again next time
    _write_atomic(state_path, json.dumps(wanted | {"start": first.isoformat(), "written_through": end_dt.isoformat()},
                                         indent=2) + "\n")
    return Extension(first, end_dt, tuple(names), lines)


def extended_truth(start: datetime | str, end: datetime | str, seed: int, communities: int = 4,
                   members: int = 200) -> Truth:
    """The truth for what `extend_files` delivered from `start` up to `end` (whatever the steps): every
    delivery received before `end`, sessions crossing it included as far as they got."""
    end_ms = to_ms(as_utc(end))
    gen = _generate_past(start, end_ms, seed, communities, members)
    return Truth.from_events(ev for recv, ev in gen.deliveries if recv < end_ms and isinstance(ev, dict))


def _generate_past(start: datetime | str, end_ms: int, seed: int, communities: int, members: int) -> Generated:
    """The history from `start` to a day past `end_ms` (LOOKAHEAD_MS): what is delivered before `end_ms`
    is then the same whatever later end a call uses."""
    return generate(start, datetime.fromtimestamp((end_ms + LOOKAHEAD_MS) / 1000, UTC), seed, communities, members)


def _write_atomic(path: Path, text: str) -> None:
    """Whole or not at all (a reader never sees half a file; a retry writes the same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def truth(start: datetime | str, end: datetime | str, seed: int, communities: int = 4, members: int = 200,
          faults: dict | str | None = None) -> Truth:
    """The truth for what `write_files` with the same arguments writes (generated again, nothing written)."""
    return generate(start, end, seed, communities, members, faults).truth()
