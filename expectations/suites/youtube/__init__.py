"""GX suites of the youtube raw tables."""
