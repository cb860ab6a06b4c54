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
from simulator.community.members import make_members
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
    user_ids = [m.user_id for m in people]
    out: list[tuple[int, Any]] = []
    for m in people:
        MemberSim(seed, m, comms, user_ids, start_ms, end_ms, out).run()
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


def truth(start: datetime | str, end: datetime | str, seed: int, communities: int = 4, members: int = 200,
          faults: dict | str | None = None) -> Truth:
    """The truth for what `write_files` with the same arguments writes (generated again, nothing written)."""
    return generate(start, end, seed, communities, members, faults).truth()
