"""Anomaly detection (detector.py) and its NAB-style evaluation (nab.py, labels.py).

The pipeline and `tidemark insights detect` call the same `detect`; docs/insights-anomalies.md.
"""

from insights.anomalies.detector import METHOD, RESULT_COLUMNS, DetectorSettings, detect

__all__ = ["METHOD", "RESULT_COLUMNS", "DetectorSettings", "detect"]
