"""Content recycling: which older posts are worth posting again (docs/insights-recycling.md).

`words` finds dated words, `history` when each post's content last ran (copies, the recycled list)
and which posts rest, `parts` the four parts of the evergreen score, `score` the weighting and the
top candidates per account, `text` the reason in words, `warehouse` the reads and the write of
marts.mart_recycling_candidates; `run.recycle` ties them together for the Dagster asset.
Settings: `insights: recycling:` of tidemark.yaml (core.workspace.RecyclingSettings).
"""

from insights.recycling.run import recycle
from insights.recycling.score import MART_COLUMNS, candidates, score_posts, weighted_score
from insights.recycling.words import dated_words

__all__ = ["MART_COLUMNS", "candidates", "dated_words", "recycle", "score_posts", "weighted_score"]
