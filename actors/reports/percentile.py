"""A percentile by linear interpolation between the two closest ranks (PostgreSQL's
percentile_cont, numpy's default), computed from those two values alone.

The database ranks the values with a window function (SQLite and PostgreSQL both
have them) and returns only the rows at `bounding_ranks`, so a p90 over 100,000
waits brings two numbers into Python, not 100,000. The quantile is a fraction of
integers so that SQL's integer division finds the same ranks as Python's. Every report's
p90 is `ranked_bounds` in SQL, then `percentiles_by_key` on its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from sqlalchemy import ColumnElement, Select, func, or_, select


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


def ranked_bounds(value: ColumnElement[Any], keys: Sequence[ColumnElement[Any]], grouped: bool = True,
                  q: Quantile = P90) -> Select:
    """Per group of `keys` (one group of all rows if not `grouped`), the non-NULL `value`s
    at the two ranks the percentile lies between: rows of (*keys, n, value), lower rank first."""
    partition = list(keys) if grouped else None
    ranked = select(*keys, value.label("value"),
                    func.row_number().over(partition_by=partition, order_by=value).label("rank"),
                    func.count().over(partition_by=partition).label("n")
                    ).where(value.is_not(None)).subquery("ranked")
    # bounding_ranks in SQL: integer division on both backends.
    position = (ranked.c.n - 1) * q.numerator
    lower = position // q.denominator + 1
    upper = (position + q.denominator - 1) // q.denominator + 1
    return (select(*(ranked.c[key.name] for key in keys), ranked.c.n, ranked.c.value)
            .where(or_(ranked.c.rank == lower, ranked.c.rank == upper)).order_by(ranked.c.rank))


def percentiles_by_key(rows: Iterable[Any], width: int, q: Quantile = P90) -> dict[tuple[Any, ...], float]:
    """The percentile per group from `ranked_bounds`' rows, keyed by the tuple of the
    first `width` columns (the keys)."""
    values: dict[tuple[Any, ...], list[float]] = {}
    counts: dict[tuple[Any, ...], int] = {}
    for row in rows:  # in rank order: the lower bound first
        key = tuple(row[:width])
        values.setdefault(key, []).append(float(row.value))
        counts[key] = int(row.n)
    return {key: interpolate(counts[key], q, found[0], found[-1]) for key, found in values.items()}
