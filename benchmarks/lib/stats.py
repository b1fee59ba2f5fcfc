"""Percentiles and latency summaries."""

from __future__ import annotations

import math


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (p in 0..100), linear interpolation between closest ranks
    (numpy's default method), so small samples still give a smooth p99."""
    if not samples:
        raise ValueError("percentile of no samples")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be in 0..100, not {p}")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(samples_ms: list[float]) -> dict:
    """n, mean, p50, p95, p99 and max of latency samples in ms (None each when empty)."""
    if not samples_ms:
        return {"n": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}
    return {
        "n": len(samples_ms),
        "mean": sum(samples_ms) / len(samples_ms),
        "p50": percentile(samples_ms, 50),
        "p95": percentile(samples_ms, 95),
        "p99": percentile(samples_ms, 99),
        "max": max(samples_ms),
    }


def downsample_sorted(samples: list[float], limit: int = 2000) -> list[float]:
    """At most `limit` sorted values spread evenly over the ranks (min and max kept):
    enough to draw a CDF without storing every sample."""
    ordered = sorted(samples)
    if len(ordered) <= limit:
        return ordered
    step = (len(ordered) - 1) / (limit - 1)
    return [ordered[round(i * step)] for i in range(limit)]
