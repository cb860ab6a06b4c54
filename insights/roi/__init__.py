"""Return on content spend: costs.yaml × the marts → marts.mart_roi (docs/insights-roi.md).

The declarations (`config`: checked whole, against the workspace, before any work), the rows and
their yardsticks (`compute`, pure pandas: cost per 1,000 views, per engagement, per follower
gained; NULL when the cost or the denominator is unknown), the reads and the write (`warehouse`)
and `run`, which ties them together for the Dagster asset marts/mart_roi.
"""

from insights.roi.compute import MART_COLUMNS, account_rows, campaign_rows, platform_rows, with_ratios
from insights.roi.config import Costs, CostsConfigError, load_costs
from insights.roi.run import compute_roi, run_roi

__all__ = ["MART_COLUMNS", "Costs", "CostsConfigError", "account_rows", "campaign_rows", "compute_roi",
           "load_costs", "platform_rows", "run_roi", "with_ratios"]
