"""GX suites of the x raw tables."""
