"""Chart geometry (the pages draw it as SVG in templates, the PDF inline): axes, intervals, bars, dot
charts and trends over years.
"""

SCORE_MAX, PCT_MAX = 10, 100
CHART_PAD = 4


def scale_max(metric: str) -> int:
    """Return the top of a metric's axis: 10 for scores, 100 for percentages."""
    return SCORE_MAX if metric == "score" else PCT_MAX


def axis_x(value: float, top: float, width: float, pad: float = CHART_PAD) -> float:
    """Return where ``value`` (clamped to 0…``top``) falls on an axis ``width`` wide with ``pad`` at each end."""
    value = min(max(float(value), 0), top)
    return round(pad + value / top * (width - 2 * pad), 1)


def interval_geometry(value, low, high, reference, *, top: float, width: float) -> dict | None:
    """Return the x positions of a figure's dot, its 95% interval and England's mark; None for no figure."""
    if value is None:
        return None
    low = value if low is None else low
    high = value if high is None else high
    return {
        "width": width,
        "x": axis_x(value, top, width),
        "low": axis_x(low, top, width),
        "high": axis_x(high, top, width),
        "reference": axis_x(reference, top, width) if reference is not None else None,
    }


def bar_length(pct: float | None, width: float) -> float | None:
    """Return the length of a bar showing ``pct`` (0–100) of ``width``; None for no figure."""
    if pct is None:
        return None
    return round(min(max(float(pct), 0), 100) / 100 * width, 1)


DOT_CHART_WIDTH, DOT_ROW_HEIGHT, DOT_AXIS_HEIGHT = 340, 42, 24
DOT_MARGIN = 10


def dot_chart(rows: list[dict], *, metric: str = "score", width: int = DOT_CHART_WIDTH) -> dict | None:
    """Return the geometry of a dot chart: a row per measure, each with one or more marks, on one axis.

    Each row is ``{"label", "marks": [{"value", "low", "high", "kind"}], "reference"}``: ``kind`` names the
    mark's series ("figure"; later "self" and "others" for a paired-dot chart), ``reference`` England's
    figure (drawn as a line). Each row's label is written above its marks, so that a phone's width is the
    chart's and the label still reads at the page's text size.
    """
    if not rows:
        return None
    top = scale_max(metric)
    step = 2 if top == SCORE_MAX else 20
    plot = width - 2 * DOT_MARGIN

    def x(value):
        return round(DOT_MARGIN + min(max(float(value), 0), top) / top * plot, 1)

    out = []
    for i, row in enumerate(rows):
        y = i * DOT_ROW_HEIGHT + 31  # the marks' line; the label sits above it
        marks = []
        for mark in row["marks"]:
            if mark.get("value") is None:
                continue
            low = mark["value"] if mark.get("low") is None else mark["low"]
            high = mark["value"] if mark.get("high") is None else mark["high"]
            marks.append({"kind": mark.get("kind", "figure"), "x": x(mark["value"]), "low": x(low), "high": x(high)})
        reference = row.get("reference")
        out.append(
            {
                **row,
                "y": y,
                "label_y": y - 13,
                "top": y - 8,
                "bottom": y + 8,
                "marks": marks,
                "reference_x": x(reference) if reference is not None else None,
            }
        )
    plot_height = len(rows) * DOT_ROW_HEIGHT
    return {
        "width": width,
        "height": plot_height + DOT_AXIS_HEIGHT,
        "plot_height": plot_height,
        "rows": out,
        "left": DOT_MARGIN,
        "right": width - DOT_MARGIN,
        "ticks": [{"x": x(v), "label": v if metric == "score" else f"{v}%"} for v in range(0, top + 1, step)],
    }


TREND_WIDTH, TREND_HEIGHT = 220, 130
TREND_MARGIN = {"left": 26, "right": 14, "top": 10, "bottom": 22}


def trend_chart(points: list[tuple], *, metric: str = "score") -> dict | None:
    """Return a trend chart's geometry from (year, value, low, high) points, oldest first; None under two years.

    Years without a figure (hidden, no responses) break the line rather than being drawn as zero.
    """
    if len(points) < 2:
        return None
    m = TREND_MARGIN
    top = scale_max(metric)
    plot_w = TREND_WIDTH - m["left"] - m["right"]
    plot_h = TREND_HEIGHT - m["top"] - m["bottom"]
    step = plot_w / (len(points) - 1)

    def py(v):
        return round(m["top"] + (1 - min(max(v, 0), top) / top) * plot_h, 1)

    marks, segments, current = [], [], []
    for i, (year, value, low, high) in enumerate(points):
        x = round(m["left"] + i * step, 1)
        if value is None:
            if len(current) > 1:
                segments.append(" ".join(current))
            current = []
            marks.append({"x": x, "year": year, "empty": True})
            continue
        current.append(f"{x},{py(value)}")
        low = value if low is None else low
        high = value if high is None else high
        marks.append({"x": x, "year": year, "y": py(value), "low": py(low), "high": py(high), "empty": False})
    if len(current) > 1:
        segments.append(" ".join(current))
    tick_step = 5 if metric == "score" else 50
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "left": m["left"],
        "right": TREND_WIDTH - m["right"],
        "bottom": TREND_HEIGHT - m["bottom"],
        "ticks": [{"y": py(v), "label": v} for v in range(0, top + 1, tick_step)],
        "marks": marks,
        "segments": segments,
    }
