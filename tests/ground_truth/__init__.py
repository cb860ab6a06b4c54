"""The ground-truth test's world, checks and reference pipeline (tests/integration/test_ground_truth.py).

Split by what each part holds, so the test module reads as the two tests:
  world.py            timeline, tolerances (with their reasons), mart SQL, Marts, the truth side
  reference.py        the reference pipeline (linear interpolation of the 12:00 readings)
  checks_accounts.py  a. account × day, e. coverage
  checks_posts.py     b. lifetimes, c. baselines and lumps, d. estimated days
The machinery (timeline of syncs, dbt build, soft checks) stays in tests/truth_harness.py.
No module here is named test_*: pytest collects none of them.
"""
