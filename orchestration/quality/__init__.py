"""The quality gate between every domain's marts and the reports."""
