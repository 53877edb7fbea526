"""Confidence intervals and percentiles, deterministic (fixed bootstrap seed), numpy only.

* proportions (bool metrics): Wilson score interval at 95 %;
* means (float metrics): percentile bootstrap, 2,000 resamples, seed 0;
* paired differences between two runs: the same bootstrap on per-case deltas.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

Z95 = 1.959963984540054
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95 % interval and the number of cases behind it."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    method: str

    def as_dict(self) -> dict[str, float | int | str | None]:
        """JSON-ready form."""
        return asdict(self)


def wilson(successes: int, n: int, z: float = Z95) -> Estimate:
    """The Wilson score interval of ``successes / n`` (None values when ``n == 0``)."""
    if n == 0:
        return Estimate(None, None, None, 0, "wilson")
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Estimate(
        round(p, 4),
        round(max(0.0, centre - half), 4),
        round(min(1.0, centre + half), 4),
        n,
        "wilson",
    )


def bootstrap_mean(values: Sequence[float], seed: int = BOOTSTRAP_SEED) -> Estimate:
    """The mean with a percentile-bootstrap 95 % interval (degenerate for one value)."""
    if not values:
        return Estimate(None, None, None, 0, "bootstrap")
    data = np.asarray(values, dtype=float)
    mean = float(data.mean())
    if len(data) == 1 or float(data.std()) == 0.0:
        return Estimate(round(mean, 4), round(mean, 4), round(mean, 4), len(data), "bootstrap")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(data), size=(BOOTSTRAP_RESAMPLES, len(data)))
    means = data[idx].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Estimate(
        round(mean, 4), round(float(low), 4), round(float(high), 4), len(data), "bootstrap"
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100, linear interpolation), None for no values."""
    if not values:
        return None
    return round(float(np.percentile(np.asarray(values, dtype=float), q)), 3)


def stdev(values: Sequence[float]) -> float | None:
    """Sample standard deviation (None for fewer than two values)."""
    if len(values) < 2:
        return None
    return round(float(np.std(np.asarray(values, dtype=float), ddof=1)), 4)
