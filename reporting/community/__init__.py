"""Community reports (issue 10) through the report system: the daily community report and the
geo-restriction effectiveness report, read from the community marts in one snapshot and written as
CSV, JSON and PDF, registered in ops.analytics_reports and delivered like the social reports.

- `queries.py` — SQL over the community marts only
- `daily.py`, `geo.py`, `patterns.py` — the rows of each section (patterns: activity by hour and
  retention, from marts that may not exist yet: "not available", never a failure)
- `definitions.py` — every term and unit, and the few report-side formulas
- `collect.py` — report kinds, the one snapshot; `render.py` (CSV, JSON, text summary), `pdf.py`, `charts.py`
- `publish.py` — the community gate → collect → render → swap in → register → deliver
"""
