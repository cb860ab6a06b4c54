"""A synthetic community platform's event stream (Tidemark issue 10), written as a landing zone.

Several communities (some with geo rules), members who register, join, churn and
travel, sessions in their own time zones, page views, community activity with
heartbeats, geo access attempts, API requests, system metrics, errors, follows and
recommendations, in the Segment-style envelope of the community contract. Same
seed + window => byte-identical files; delivery faults on demand; `truth` says
what the marts must show. Imports nothing of Tidemark (stdlib, numpy via
`simulator.rand`, `simulator.clock`).

    write_files(landing, start, end, seed, communities=4, members=200, faults=None, *, compress=False) -> Manifest
    extend_files(landing, start, end, seed, communities=4, members=200) -> Extension   (a demo, day by day)
    extended_truth(start, end, seed, communities=4, members=200) -> Truth   (what extend_files delivered)
    generate(start, end, seed, communities=4, members=200, faults=None) -> Generated   (in memory)
    truth(start, end, seed, communities=4, members=200, faults=None) -> Truth
    Truth.from_lines(lines) / Truth.from_events(events)
    python -m simulator.community --out DIR --start ... --end ... --seed N [--faults JSON]
"""

from simulator.community.faults import CommunityFaults, FaultLog
from simulator.community.landing import (
                                         Extension,
                                         Generated,
                                         Manifest,
                                         extend_files,
                                         extended_truth,
                                         generate,
                                         truth,
                                         write_files,
)
from simulator.community.truth import CommunityDay, Day, Truth
from simulator.community.truth_rollups import CohortWeek, CommunityHour, MemberDay

__all__ = ["CohortWeek", "CommunityDay", "CommunityFaults", "CommunityHour", "Day", "Extension", "FaultLog",
           "Generated", "Manifest", "MemberDay", "Truth", "extend_files", "extended_truth", "generate", "truth", "write_files"]
