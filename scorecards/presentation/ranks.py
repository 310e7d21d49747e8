"""Ranks and league order: ties share a rank ("3="), the same order on every page, in the API and the PDF."""

from collections.abc import Callable
from operator import attrgetter

from scorecards.presentation.labels import BAND_ORDER


def separated_ranks(
    rows: list,
    *,
    value: Callable = attrgetter("value"),
    low: Callable = attrgetter("low"),
    high: Callable = attrgetter("high"),
) -> dict[int, str]:
    """Return {index in ``rows``: rank} for the rows whose rank the intervals support; others get none.

    Rows with a figure are put in order, highest first. A row's position is printed as its rank only
    where its 95% interval overlaps neither its neighbour above nor its neighbour below in that order:
    only then could no other order of those neighbours be as consistent with the data. Ties always
    overlap, so a tie is never ranked; where every interval holds England's figure, no row is ranked.
    """
    order = sorted((i for i, row in enumerate(rows) if value(row) is not None), key=lambda i: -value(rows[i]))

    def bounds(i):
        v = value(rows[i])
        lo, hi = low(rows[i]), high(rows[i])
        return (v if lo is None else lo), (v if hi is None else hi)

    ranks = {}
    for position, i in enumerate(order):
        lo, hi = bounds(i)
        above_clear = position == 0 or bounds(order[position - 1])[0] > hi
        below_clear = position == len(order) - 1 or bounds(order[position + 1])[1] < lo
        if above_clear and below_clear and len(order) > 1:
            ranks[i] = str(position + 1)
    return ranks


def assign_ranks(
    rows: list,
    *,
    value: Callable = attrgetter("value"),
    low: Callable = attrgetter("low"),
    high: Callable = attrgetter("high"),
) -> None:
    """Set ``row.rank`` on every row: its position where the intervals separate it from its neighbours, else ""."""
    ranks = separated_ranks(rows, value=value, low=low, high=high)
    for i, row in enumerate(rows):
        row.rank = ranks.get(i, "")


def league_order(
    rows: list,
    *,
    sort: str = "value",
    order: str = "desc",
    value: Callable = attrgetter("value"),
    name: Callable = attrgetter("org_name"),
    base: Callable = attrgetter("base"),
    change: Callable = attrgetter("change"),
    band: Callable = attrgetter("band"),
) -> list:
    """Return ``rows`` in league order: those with a value sorted by ``sort`` in ``order``, then the rest by name.

    Sorted by result (the default), rows are in their bands first (better than England, about the same,
    worse) and by value within each band, so that a row's place never claims more than its band does.

    Rows that tie on the sort key are in name order, A to Z, whichever the direction, so that tied
    ranks ("3=") read alphabetically on every page, in the API and in the PDF. Rows without a value
    (suppressed, no responses) always come last, unranked.
    """
    descending = order == "desc"

    def number(get: Callable) -> Callable:
        def key(row):
            n = get(row)
            return (n is None, -(n or 0) if descending else (n or 0), name(row))

        return key

    with_value = [r for r in rows if value(r) is not None]
    without = sorted((r for r in rows if value(r) is None), key=name)
    if sort == "name":
        with_value.sort(key=name, reverse=descending)
    elif sort == "value":
        by_value = number(value)

        def in_band(row):
            position = BAND_ORDER.get(band(row), 3)
            return (position if descending else -position, *by_value(row))

        with_value.sort(key=in_band)
    else:
        with_value.sort(key=number({"value": value, "base": base, "change": change}[sort]))
    return with_value + without
