"""Rates, means and quantiles from counts and histograms (what a database returns cheaply)."""

from __future__ import annotations

import math
from collections.abc import Mapping


def rate(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator``, or ``None`` when nothing was counted (never a made-up 0)."""
    if denominator < 0 or numerator < 0:
        raise ValueError("counts cannot be negative")
    return None if denominator == 0 else numerator / denominator


def per(numerator: int, denominator: int, scale: float) -> float | None:
    """``numerator`` per ``scale`` of ``denominator`` (e.g. mandatory findings per 100 submissions)."""
    value = rate(numerator, denominator)
    return None if value is None else value * scale


def histogram_total(histogram: Mapping[int, int]) -> int:
    return sum(histogram.values())


def histogram_mean(histogram: Mapping[int, int]) -> float | None:
    """The mean of values given as ``{value: how many}``; ``None`` for an empty histogram."""
    total = histogram_total(histogram)
    return None if total == 0 else sum(value * n for value, n in histogram.items()) / total


def histogram_quantile(histogram: Mapping[int, int], q: float) -> int | None:
    """The ``q`` quantile (0 < q ≤ 1) of values given as ``{value: how many}``, by nearest rank:
    the smallest value with at least ⌈q·N⌉ observations at or below it. Nearest rank returns an
    observed value, so a median of whole hours stays whole hours."""
    if not 0 < q <= 1:
        raise ValueError(f"quantile must be in (0, 1], not {q}")
    if any(n < 0 for n in histogram.values()):
        raise ValueError("counts cannot be negative")
    total = histogram_total(histogram)
    if total == 0:
        return None
    rank, seen = math.ceil(q * total), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the ranks add up to the total")
