"""Recommendations with a calibrated confidence (marts.mart_insights; docs/insights-recommendations.md):
best posting time, trending hashtags, audience shifts, formats and lengths, posting frequency, over- and
under-performing posts, growth milestones. One file per insight type; `confidence.py` says what the
confidence means, once."""

from insights.recommend.run import recommend, recommend_all

__all__ = ["recommend", "recommend_all"]
