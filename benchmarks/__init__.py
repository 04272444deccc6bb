"""Benchmarks run by `make bench` (speed and scaling live here, not in unit tests)."""
