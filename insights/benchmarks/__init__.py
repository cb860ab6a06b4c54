"""Competitor benchmarks (docs/insights-benchmarks.md): own accounts vs the competitors listed in
tidemark.yaml, per ISO week and month → marts.mart_competitor_benchmarks."""

from insights.benchmarks.mart import benchmark
from insights.benchmarks.warehouse import build_benchmarks, read_inputs, write_benchmarks

__all__ = ["benchmark", "build_benchmarks", "read_inputs", "write_benchmarks"]
