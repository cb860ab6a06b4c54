"""The sections of a report, each a function of the query context (`common.Ctx`) returning rows:
activity in the period, content published in the period, data coverage, growth and comparison."""
