"""A percentile by linear interpolation between the two closest ranks (PostgreSQL's
percentile_cont, numpy's default), computed from those two values alone.

The database ranks the values with a window function (SQLite and PostgreSQL both
have them) and returns only the rows at `bounding_ranks`, so a p90 over 100,000
waits brings two numbers into Python, not 100,000. The quantile is a fraction of
integers so that SQL's integer division finds the same ranks as Python's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Quantile:
    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if not 0 <= self.numerator <= self.denominator or self.denominator <= 0:
            raise ValueError("a quantile is between 0 and 1")


P90 = Quantile(9, 10)


def bounding_ranks(count: int, q: Quantile) -> tuple[int, int]:
    """The 1-based ranks (in ascending order) whose values the percentile lies between."""
    position = (count - 1) * q.numerator
    return position // q.denominator + 1, (position + q.denominator - 1) // q.denominator + 1


def interpolate(count: int, q: Quantile, lower: float, upper: float) -> float:
    """The percentile, given the values at the two bounding ranks."""
    fraction = (count - 1) * q.numerator % q.denominator / q.denominator
    return lower + (upper - lower) * fraction


def percentile(values: Sequence[float], q: Quantile) -> float | None:
    """The same figure over a whole list (None for an empty one): what the SQL must match."""
    if not values:
        return None
    ordered = sorted(values)
    lower, upper = bounding_ranks(len(ordered), q)
    return interpolate(len(ordered), q, ordered[lower - 1], ordered[upper - 1])
