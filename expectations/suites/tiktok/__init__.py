"""GX suites of the tiktok raw tables."""
