"""Shared parts of the benchmark scripts: statistics, load processes, fragments, echo load."""
