"""GX suites of the facebook raw tables."""
