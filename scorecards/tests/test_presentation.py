"""The presentation module: one way to band, rank, order and format a figure (pages, API and PDF)."""

from types import SimpleNamespace

from scorecards import presentation


def test_band_is_better_or_worse_only_where_the_interval_excludes_england():
    assert presentation.band(low=6.1, high=7.0, reference=6.0) == presentation.BETTER
    assert presentation.band(low=5.0, high=5.9, reference=6.0) == presentation.WORSE
    assert presentation.band(low=5.0, high=7.0, reference=6.0) == presentation.SAME
    assert presentation.band(low=6.0, high=7.0, reference=6.0) == presentation.SAME  # touching is not excluding
    assert presentation.band(low=None, high=None, reference=6.0) is None
    assert presentation.band(low=5.0, high=7.0, reference=None) is None


def test_ties_share_a_rank_marked_with_an_equals_sign_and_the_next_rank_skips():
    assert presentation.rank_labels([7.0, 6.5, 6.5, 6.0, None]) == ["1", "2=", "2=", "4", ""]


def test_league_order_puts_ties_in_name_order_in_both_directions_and_unranked_last():
    rows = [
        SimpleNamespace(org_name=name, value=value, base=base, change=None)
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
    assert presentation.interval_text(6.2, 5.8, 6.6) == "6.2 (95% CI 5.8 to 6.6)"


def test_lead_roles_are_named_once_from_the_accounts_lead_roles():
    assert presentation.LEAD_ROLE_ORDER == ("", "clinical", "managerial", "financial")
    assert presentation.LEAD_ROLE_LABELS["clinical"] == "Clinical leads"
    assert presentation.LEAD_ROLE_LABELS[""] == "All leads"


def test_chart_positions_clamp_to_the_axis():
    geometry = presentation.interval_geometry(5, 4, 12, 6, top=10, width=208)
    assert geometry == {"width": 208, "x": 104.0, "low": 84.0, "high": 204.0, "reference": 124.0}
    assert presentation.bar_length(48.0, 200) == 96.0
