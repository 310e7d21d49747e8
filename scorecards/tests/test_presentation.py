"""The presentation module: one way to band, rank, order and format a figure (pages, API and PDF)."""

import math
from types import SimpleNamespace

import pytest

from scorecards import presentation


def test_band_is_better_or_worse_only_where_the_interval_excludes_england():
    assert presentation.band(low=6.1, high=7.0, reference=6.0) == presentation.BETTER
    assert presentation.band(low=5.0, high=5.9, reference=6.0) == presentation.WORSE
    assert presentation.band(low=5.0, high=7.0, reference=6.0) == presentation.SAME
    assert presentation.band(low=6.0, high=7.0, reference=6.0) == presentation.SAME  # touching is not excluding
    assert presentation.band(low=None, high=None, reference=6.0) is None
    assert presentation.band(low=5.0, high=7.0, reference=None) is None


def test_league_order_puts_ties_in_name_order_in_both_directions_and_unranked_last():
    rows = [
        SimpleNamespace(org_name=name, value=value, base=base, change=None, band=None)
        for name, value, base in (("Zeta", 6.5, 9), ("Alpha", 6.5, 9), ("Mid", 7.0, 5), ("Gone", None, None))
    ]
    assert [r.org_name for r in presentation.league_order(rows)] == ["Mid", "Alpha", "Zeta", "Gone"]
    assert [r.org_name for r in presentation.league_order(rows, order="asc")] == ["Alpha", "Zeta", "Mid", "Gone"]
    assert [r.org_name for r in presentation.league_order(rows, sort="base")] == ["Alpha", "Zeta", "Mid", "Gone"]


def test_figures_and_changes_read_the_same_wherever_they_are_shown():
    assert presentation.figure(6.25) == "6.2"
    assert presentation.figure(64.4, "pct_positive") == "64%"
    assert presentation.figure(None) == "–"
    assert presentation.change(12.4, "pct", significant=True) == "+12 points (significant)"
    assert presentation.change(-0.25) == "−0.2"


def test_a_change_that_rounds_to_zero_is_no_change_never_a_signed_zero():
    assert presentation.change(0.04) == "No change"
    assert presentation.change(-0.04) == "No change"
    assert presentation.change(-0.4, "pct_positive") == "No change"
    assert presentation.change(0.0) == "No change"
    assert presentation.change(0.06) == "+0.1"


def test_a_significant_change_says_its_direction_in_an_arrow_and_a_word():
    assert presentation.direction(1.2, True) == {"arrow": "▲", "word": "Significant rise", "css": "up"}
    assert presentation.direction(-1.2, True)["word"] == "Significant fall"
    assert presentation.direction(-1.2, False) is None
    assert presentation.interval_text(6.2, 5.8, 6.6) == "6.2 (95% CI 5.8 to 6.6)"


def test_lead_roles_are_named_once_from_the_accounts_lead_roles():
    assert presentation.LEAD_ROLE_ORDER == ("", "clinical", "managerial", "financial")
    assert presentation.LEAD_ROLE_LABELS["clinical"] == "Clinical leads"
    assert presentation.LEAD_ROLE_LABELS[""] == "All leads"


def test_chart_positions_clamp_to_the_axis():
    geometry = presentation.interval_geometry(5, 4, 12, 6, top=10, width=208)
    assert geometry == {"width": 208, "x": 104.0, "low": 84.0, "high": 204.0, "reference": 124.0}
    assert presentation.bar_length(48.0, 200) == 96.0


def _league(*rows):
    return [SimpleNamespace(org_name=name, value=v, low=lo, high=hi) for name, v, lo, hi in rows]


def test_a_league_where_every_interval_holds_englands_figure_has_no_rank_at_all():
    england = 6.0
    rows = _league(("A", 7.0, 5.5, 8.5), ("B", 6.4, 5.0, 7.8), ("C", 5.1, 4.0, 6.2), ("D", 5.9, 5.8, 6.0))
    assert {presentation.band(low=r.low, high=r.high, reference=england) for r in rows} == {presentation.SAME}
    presentation.assign_ranks(rows)
    assert [r.rank for r in rows] == ["", "", "", ""]


def test_a_rank_is_shown_only_where_the_interval_overlaps_neither_neighbour():
    # In order: A (8, 7.5–8.5) clear of B; B and C overlap each other; D clear of C (and last); E has no figure.
    rows = _league(
        ("C", 6.0, 5.2, 6.6),
        ("A", 8.0, 7.5, 8.5),
        ("E", None, None, None),
        ("B", 6.5, 6.1, 7.0),
        ("D", 4.0, 3.5, 4.5),
    )
    presentation.assign_ranks(rows)
    assert {r.org_name: r.rank for r in rows} == {"A": "1", "B": "", "C": "", "D": "4", "E": ""}
    # A tie always overlaps: neither is ranked, though both are clear of the rest.
    tied = _league(("X", 8.0, 7.8, 8.2), ("Y", 8.0, 7.8, 8.2), ("Z", 2.0, 1.0, 3.0))
    presentation.assign_ranks(tied)
    assert [r.rank for r in tied] == ["", "", "3"]


def test_sorted_by_result_rows_are_in_their_bands_then_by_value():
    # A small team with a high figure but a wide interval is "about the same": it comes after the better ones.
    rows = [
        SimpleNamespace(org_name=name, value=v, band=b, base=10, change=None)
        for name, v, b in (
            ("Wide", 8.0, "same"),
            ("Better", 7.0, "better"),
            ("Worse", 6.5, "worse"),
            ("Mid", 6.8, "same"),
        )
    ]
    assert [r.org_name for r in presentation.league_order(rows)] == ["Better", "Wide", "Mid", "Worse"]
    assert [r.org_name for r in presentation.league_order(rows, order="asc")] == ["Worse", "Mid", "Wide", "Better"]


def test_funnel_limits_for_a_proportion_match_the_hand_worked_values():
    # England 60% positive; an area team of 25: sqrt(0.6 * 0.4 / 25) = sqrt(0.0096) = 0.09798.
    # 95%: 0.6 ± 1.959964 * 0.09798 = 0.6 ± 0.19204 -> 40.80% to 79.20%.
    # 99.8%: 0.6 ± 3.090232 * 0.09798 = 0.6 ± 0.30278 -> 29.72% to 90.28%.
    low, high = presentation.funnel_limits(reference=60.0, n=25, metric="pct_positive")
    assert low == pytest.approx(40.796, abs=0.01) and high == pytest.approx(79.204, abs=0.01)
    low, high = presentation.funnel_limits(reference=60.0, n=25, metric="pct_positive", z=presentation.Z_998)
    assert low == pytest.approx(29.722, abs=0.01) and high == pytest.approx(90.278, abs=0.01)


def test_funnel_limits_for_a_mean_score_use_englands_sd_over_root_n():
    # England 6.0 with sd 2.5; a team of 16: 2.5 / 4 = 0.625. 95%: ± 1.959964 * 0.625 = ± 1.22498.
    low, high = presentation.funnel_limits(reference=6.0, n=16, metric="score", sd=2.5)
    assert (low, high) == (pytest.approx(4.77502, abs=1e-4), pytest.approx(7.22498, abs=1e-4))
    # 99.8%: ± 3.090232 * 0.625 = ± 1.93140, clamped to the 0–10 axis where it would run past it.
    low, high = presentation.funnel_limits(reference=9.0, n=16, metric="score", sd=2.5, z=presentation.Z_998)
    assert (low, high) == (pytest.approx(7.0686, abs=1e-4), 10.0)


def test_englands_sd_is_recovered_from_its_t_interval():
    # A t interval of 200 respondents with sd 2: half-width t(0.975, 199) * 2 / sqrt(200).
    half = 1.971957 * 2 / math.sqrt(200)
    assert presentation.england_sd(low=6 - half, high=6 + half, base=200) == pytest.approx(2.0, rel=1e-5)


def test_the_funnel_plot_places_every_team_with_a_figure_and_draws_both_limits():
    rows = [
        SimpleNamespace(org_name="A", value=70.0, base=40, band="better"),
        SimpleNamespace(org_name="B", value=55.0, base=10, band="same"),
        SimpleNamespace(org_name="C", value=None, base=None, band=None),
    ]
    geometry = presentation.funnel_geometry(rows, reference=60.0, sd=None, metric="pct_positive")
    assert [d["band"] for d in geometry["dots"]] == ["better", "same"]
    assert [limit["name"] for limit in geometry["limits"]] == ["95", "998"]
    assert geometry["x_ticks"][0]["label"] == 0 and geometry["x_ticks"][-1]["label"] >= 40
    assert geometry["y_ticks"][-1]["label"] == "100%"
    assert "better than england" in geometry["dots"][0]["label"]


def test_a_trend_line_breaks_at_a_hidden_year_and_draws_each_interval():
    chart = presentation.trend_chart([(2013, 5.0, 4.0, 6.0), (2014, None, None, None), (2015, 6.0, 5.5, 6.5)])
    assert [m["year"] for m in chart["marks"]] == [2013, 2014, 2015]
    assert chart["marks"][1]["empty"] and chart["segments"] == []  # no line across the hidden year
    first = chart["marks"][0]
    assert first["high"] < first["y"] < first["low"]  # SVG y grows downwards
    assert presentation.trend_chart([(2013, 5.0, 4.0, 6.0)]) is None


def test_a_view_with_every_figure_hidden_reads_as_one_line_naming_its_group():
    assert presentation.not_enough_line("practice") == (
        "Not enough responses from GP member practices to show their figures"
    )
    assert presentation.not_enough_line("others") == (
        "Not enough responses from everyone but the area team to show their figures"
    )


def test_the_self_chart_pairs_self_with_the_ccg_leads_on_the_0_to_10_scale_and_flags_the_gap():
    # Given self 10 beside leads 6.625 (3.375 above: a blind spot), and self 10 beside leads hidden (no gap)
    chart = presentation.self_chart(
        [
            {"label": "ONE", "self": 10.0, "leads": 6.625, "leads_low": 5.0, "leads_high": 8.0, "others": 7.0},
            {"label": "TWO", "self": 10.0, "leads": None, "others": None},
        ]
    )

    one, two = chart["rows"]
    # Then the plot runs 10 px in from each edge of 340: x = 10 + value / 10 × 320
    assert [m["kind"] for m in one["marks"]] == ["leads", "others", "self"]
    assert {m["kind"]: m["x"] for m in one["marks"]} == {"leads": 222.0, "others": 234.0, "self": 330.0}
    assert one["join"] == {"x1": 222.0, "x2": 330.0}
    assert one["gap"] == presentation.BLIND_SPOT and one["gap_label"] == "Blind spot"
    assert one["self_diamond"] == f"330.0,{one['y'] - 6} 336.0,{one['y']} 330.0,{one['y'] + 6} 324.0,{one['y']}"
    # And a hidden figure draws no mark, no join and no flag (never a dot at zero)
    assert [m["kind"] for m in two["marks"]] == ["self"]
    assert two["join"] is None and two["gap"] is None
    assert presentation.self_chart([]) is None
