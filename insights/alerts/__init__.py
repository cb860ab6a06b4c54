"""Viral-post and account-drop alerts (docs/insights-alerts.md).

Pure pandas rules (`bands`, `viral`, `drops`, `episodes`), the words (`text`), the `ops.alerts`
store (`store`) and the reads from the marts (`warehouse`); `evaluate` ties them together for the
Dagster asset `ops/alerts` (orchestration/insights/alerts.py), which delivers the new ones.
"""

from insights.alerts.evaluate import Evaluation, evaluate, warehouse_post_anomalies
from insights.alerts.viral import post_anomalies, viral_episodes

__all__ = ["Evaluation", "evaluate", "post_anomalies", "viral_episodes", "warehouse_post_anomalies"]
