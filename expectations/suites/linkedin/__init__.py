"""GX suites of the linkedin raw tables."""
