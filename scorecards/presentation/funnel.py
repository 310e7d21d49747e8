"""Funnel plot: each area team's value against its base, with limits around England's figure."""

import math

from scorecards import stats
from scorecards.presentation.charts import SCORE_MAX, scale_max
from scorecards.presentation.formatting import _is_pct, figure
from scorecards.presentation.labels import BAND_SYMBOLS, SAME, band_label

Z_95, Z_998 = 1.959964, 3.090232  # two-sided 95% and 99.8% of the normal distribution
FUNNEL_WIDTH, FUNNEL_HEIGHT = 560, 320
FUNNEL_MARGIN = {"left": 48, "right": 12, "top": 12, "bottom": 44}


def england_sd(*, low: float | None, high: float | None, base: int | None) -> float | None:
    """Return England's standard deviation of scores, recovered from its published t interval and base."""
    if low is None or high is None or not base or base < 2:
        return None
    return (high - low) / 2 * math.sqrt(base) / stats.t_975(base - 1)


def funnel_limits(*, reference: float, n: int, metric: str, sd: float | None = None, z: float = Z_95):
    """Return (low, high) of the funnel at base ``n`` around England's ``reference``, clamped to the axis.

    A percentage: p0 ± z·√(p0(1−p0)/n) with p0 England's proportion. A score: England's figure ± z·sd/√n,
    with sd England's standard deviation of scores. None where there is no spread to draw.
    """
    if n <= 0:
        return None
    if _is_pct(metric):
        p0 = reference / 100
        half = z * math.sqrt(p0 * (1 - p0) / n) * 100
    else:
        if sd is None:
            return None
        half = z * sd / math.sqrt(n)
    top = scale_max(metric)
    return max(reference - half, 0.0), min(reference + half, float(top))


def _nice_step(span: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if span / step <= 6:
            return step
    return 1000


def funnel_geometry(rows: list, *, reference: float | None, sd: float | None, metric: str) -> dict | None:
    """Return what the funnel plot draws: axes with ticks, the four limit lines, England's line and a dot per row.

    ``rows`` have ``value``, ``base``, ``band`` and ``org_name``; those with no figure are left out.
    Points are in SVG user units of a FUNNEL_WIDTH × FUNNEL_HEIGHT chart that scales down to the page.
    """
    points = [r for r in rows if r.value is not None and r.base]
    if reference is None or not points:
        return None
    m = FUNNEL_MARGIN
    plot_w = FUNNEL_WIDTH - m["left"] - m["right"]
    plot_h = FUNNEL_HEIGHT - m["top"] - m["bottom"]
    top = scale_max(metric)
    max_base = max(r.base for r in points)
    step_x = _nice_step(max_base)
    x_top = step_x * math.ceil(max_base / step_x)
    y_step = 2 if top == SCORE_MAX else 20

    def px(n):
        return round(m["left"] + n / x_top * plot_w, 1)

    def py(v):
        return round(m["top"] + (1 - min(max(v, 0), top) / top) * plot_h, 1)

    limits = []
    for name, z in (("95", Z_95), ("998", Z_998)):
        lows, highs = [], []
        for i in range(1, 41):
            n = max(2.0, x_top * i / 40)
            bounds = funnel_limits(reference=reference, n=n, metric=metric, sd=sd, z=z)
            if bounds is None:
                continue
            lows.append(f"{px(n)},{py(bounds[0])}")
            highs.append(f"{px(n)},{py(bounds[1])}")
        if lows:
            limits.append({"name": name, "low": " ".join(lows), "high": " ".join(highs)})
    dots = []
    for r in points:
        dots.append(
            {
                "x": px(r.base),
                "y": py(r.value),
                "band": r.band or SAME,
                "symbol": BAND_SYMBOLS.get(r.band or SAME),
                "label": f"{r.org_name}: {figure(r.value, metric)}, base {r.base}, {band_label(r.band).lower()}",
            }
        )
    return {
        "width": FUNNEL_WIDTH,
        "height": FUNNEL_HEIGHT,
        "left": m["left"],
        "right": FUNNEL_WIDTH - m["right"],
        "top": m["top"],
        "bottom": FUNNEL_HEIGHT - m["bottom"],
        "x_ticks": [{"x": px(n), "label": n} for n in range(0, x_top + 1, step_x)],
        "y_ticks": [{"y": py(v), "label": v if metric == "score" else f"{v}%"} for v in range(0, top + 1, y_step)],
        "reference_y": py(reference),
        "limits": limits,
        "dots": dots,
    }
