"""The statistics every figure uses (DESIGN.md §4), as pure functions over small aggregates.

Everything here works from sufficient statistics (counts, sums, sums of squares), so that area-team
figures can be rolled up to region and England by adding, and so that incremental and full
computation give identical numbers.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from scipy import special as _special
from scipy import stats as _scipy_stats

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal
SIGNIFICANCE_LEVEL = 0.05


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson_interval(successes: int, n: int, z: float = Z_95) -> Interval | None:
    """Return the Wilson score interval for a proportion (as fractions 0–1), or None if n is 0."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def mean_and_sd(n: int, total: float, total_sq: float) -> tuple[float, float | None]:
    """Return the mean and sample standard deviation from n, Σx and Σx² (sd None when n < 2)."""
    mean = total / n
    if n < 2:
        return mean, None
    variance = max(0.0, (total_sq - n * mean * mean) / (n - 1))
    return mean, math.sqrt(variance)


@lru_cache(maxsize=4096)
def _t_975(df: int) -> float:
    return float(_scipy_stats.t.ppf(0.975, df))


def t_975(df: int) -> float:
    """Return Student's t at 97.5% with ``df`` degrees of freedom (the multiplier of a two-sided 95% interval)."""
    return _t_975(df)


def t_interval(n: int, total: float, total_sq: float) -> Interval | None:
    """Return the 95% t interval for a mean from n, Σx and Σx², or None when n < 2."""
    if n < 2:
        return None
    mean, sd = mean_and_sd(n, total, total_sq)
    half = _t_975(n - 1) * sd / math.sqrt(n)
    return Interval(mean - half, mean + half)


def two_proportion_z_test(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Return the two-sided p value of the pooled two-proportion z test, or None if undefined."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return None if x1 / n1 == x2 / n2 else 0.0
    z = (x1 / n1 - x2 / n2) / se
    # 2 × the normal upper tail, exactly (scipy.stats' sf costs ~70 µs a call; publishing makes thousands).
    return math.erfc(abs(z) / math.sqrt(2))


def welch_t_test(n1: int, total1: float, total_sq1: float, n2: int, total2: float, total_sq2: float) -> float | None:
    """Return the two-sided p value of Welch's t test from each sample's n, Σx and Σx²."""
    if n1 < 2 or n2 < 2:
        return None
    mean1, sd1 = mean_and_sd(n1, total1, total_sq1)
    mean2, sd2 = mean_and_sd(n2, total2, total_sq2)
    v1, v2 = sd1 * sd1 / n1, sd2 * sd2 / n2
    if v1 + v2 == 0:
        return None if mean1 == mean2 else 0.0
    t = (mean1 - mean2) / math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / ((v1 * v1 / (n1 - 1) if v1 else 0) + (v2 * v2 / (n2 - 1) if v2 else 0))
    # 2 × Student's t upper tail through the special function scipy.stats' sf wraps (fractional df).
    return float(2 * _special.stdtr(df, -abs(t)))


PRIMARY = "primary"
SECONDARY = "secondary"
