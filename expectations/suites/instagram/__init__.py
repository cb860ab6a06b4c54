"""GX suites of the instagram raw tables."""
