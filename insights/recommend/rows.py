"""An insight's row of marts.mart_insights: the stable id, the label, the validity. One shape for every type."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from insights.recommend.confidence import label

INSIGHT_COLUMNS = ("insight_id", "insight_type", "platform", "account", "insight_data", "confidence_score",
                   "confidence_label", "method", "text", "generated_at", "valid_until")
# days an insight stays valid after the run that made it: fast-moving evidence is re-read weekly
VALID_DAYS = {"best_posting_time": 7, "trending_hashtag": 7, "audience_shift": 28, "content_format": 28,
              "content_length": 28, "posting_frequency": 28, "over_under_performer": 7, "growth_milestone": 7}


def insight(kind: str, platform: str, account: str | None, key: str, data: dict, confidence: float, method: str,
            text: str, now: datetime) -> dict:
    """One row; `key` tells insights of one type and account apart (the block, the hashtag, the post)."""
    digest = hashlib.md5("|".join((kind, platform, account or "", key)).encode()).hexdigest()
    score = round(float(confidence), 4)
    return {"insight_id": digest, "insight_type": kind, "platform": platform, "account": account,
            "insight_data": data, "confidence_score": score, "confidence_label": label(score), "method": method,
            "text": text, "generated_at": now, "valid_until": now + timedelta(days=VALID_DAYS[kind])}


def ratio_text(value: float) -> str:
    return f"{value:.2f}×"


def pct(value: float) -> str:
    return f"{value:.0f} %"
