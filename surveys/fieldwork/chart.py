"""The fieldwork chart drawn on the server: cumulative responses over time as an SVG line, no script."""

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


def responses_chart(days: list[dict], *, invited: int) -> dict | None:
    """Return the chart's geometry: the line's points, the axes' ticks and labels (None with no responses).

    The y axis runs to the number invited, so the line's height is the response rate.
    """
    if not days:
        return None
    first, last = days[0]["day"], days[-1]["day"]
    span = max((last - first).days, 1)
    top = max(invited, days[-1]["cumulative"], 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day) -> float:
        return round(LEFT + plot_w * (day - first).days / span, 1)

    def y(value: int) -> float:
        return round(TOP + plot_h * (1 - value / top), 1)

    points = [(x(first), y(0))]
    for d in days:
        points.append((x(d["day"]), y(d["cumulative"])))
    y_ticks = [{"value": v, "y": y(v)} for v in sorted({0, top // 2, top})]
    x_ticks = [{"label": first.strftime("%-d %b"), "x": x(first)}]
    if last != first:
        x_ticks.append({"label": last.strftime("%-d %b"), "x": x(last)})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": " ".join(f"{px},{py}" for px, py in points),
        "y_ticks": y_ticks,
        "x_ticks": x_ticks,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - 12,
        "total": days[-1]["cumulative"],
        "invited": invited,
    }
