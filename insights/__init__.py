"""Insights: forecasts, anomalies and alerts computed from the marts (docs/insights.md).

A layer between the checks and the reports: it reads the marts and writes `marts.mart_forecasts`,
`marts.mart_anomalies` and `ops.alerts`; it imports only `core`. The same functions serve the
pipeline's assets (orchestration/insights/) and the `tidemark insights` command, so a user's CSV
goes through exactly the code the pipeline runs.
"""
