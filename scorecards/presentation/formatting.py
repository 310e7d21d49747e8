"""Numbers as they read: figures, changes, their direction and intervals."""

from scorecards.presentation.labels import NO_CHANGE, NO_FIGURE


def _is_pct(metric: str) -> bool:
    return metric in ("pct_positive", "pct")


def figure(value: float | None, metric: str = "score") -> str:
    """Format a score (one decimal) or a percentage (whole number and %); an en dash for none."""
    if value is None:
        return NO_FIGURE
    return f"{value:.0f}%" if _is_pct(metric) else f"{value:.1f}"


def change(value: float | None, metric: str = "score", significant: bool | None = None) -> str:
    """Format a change since last year with its sign (percentage points for percentages).

    With ``significant`` given, say so where it is: "+12 points (significant)".
    """
    if value is None:
        return NO_FIGURE
    digits = 0 if _is_pct(metric) else 1
    shown = round(value, digits)
    if shown == 0:  # never "+0.0" or "−0.0"
        return NO_CHANGE
    sign = "+" if shown > 0 else "−"
    text = f"{sign}{abs(shown):.0f} points" if _is_pct(metric) else f"{sign}{abs(shown):.1f}"
    return f"{text} (significant)" if significant else text


def direction(value: float | None, significant: bool | None) -> dict | None:
    """Return the arrow and words of a significant change ("▲", "Significant rise"); None where not significant.

    Direction is never told by colour alone: the arrow and the word say it, the colour only repeats it.
    """
    if not significant or value is None or value == 0:
        return None
    if value > 0:
        return {"arrow": "▲", "word": "Significant rise", "css": "up"}
    return {"arrow": "▼", "word": "Significant fall", "css": "down"}


def interval_text(value: float | None, low: float | None, high: float | None, metric: str = "score") -> str:
    """Return "6.2 (95% CI 5.8 to 6.6)" for a figure and its interval."""
    if value is None:
        return NO_FIGURE
    if low is None or high is None:
        return figure(value, metric)
    return f"{figure(value, metric)} (95% CI {figure(low, metric)} to {figure(high, metric)})"
