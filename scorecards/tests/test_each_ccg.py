"""Each CCG counts once (issue 14, item 5): the CCG leads weighted so that every responding CCG weighs the
same, with Kish's effective base and intervals from the weighted estimator (DESIGN.md §4)."""

import math

import pytest

from scorecards import stats
from scorecards.models import EACH_CCG, ItemKind, Level
from scorecards.tests.factories import Q, cell, import_responses, make_cycle, recompute_and_publish
from surveys.models import CycleState

pytestmark = pytest.mark.django_db

AT, REGION, ENGLAND = Level.AREA_TEAM, Level.REGION, Level.ENGLAND
QUESTION = ItemKind.QUESTION
Z = 1.959963984540054


@pytest.fixture
def cycle(organisations):
    return make_cycle(2031, CycleState.OPEN, [Q("ONE", "NHS England listens.", behaviour="T-B")])


def test_a_ccg_with_three_leads_beside_one_with_one_lead(cycle, settings):
    # Given (with every cell shown) Eastern Cheshire's three leads answering 5, 5 and 2 (scores 10, 10, 2.5)
    # and South Cheshire's one lead answering 1 (score 0), both in Q44
    settings.SUPPRESSION_MIN_BASE = 1
    import_responses(
        cycle,
        [
            ("01C", "clinical", {"ONE": 5}),
            ("01C", "managerial", {"ONE": 5}),
            ("01C", "financial", {"ONE": 2}),
            ("01R", "clinical", {"ONE": 1}),
        ],
    )

    # When the figures are published
    recompute_and_publish(cycle)

    # Then each lead counting once, the score is 22.5 / 4 = 5.625 and 2 of 4 are favourable
    leads = cell(cycle, AT, "Q44", QUESTION, "ONE")
    assert leads.base == 4
    assert leads.score == pytest.approx(5.625)
    assert leads.pct_positive == pytest.approx(50.0)
    # And each CCG counting once, Eastern Cheshire's leads weigh 1/3 each and South Cheshire's lead 1:
    # Σw = 3 × 1/3 + 1 = 2, Σw² = 3 × 1/9 + 1 = 4/3, so the effective base is 2² / (4/3) = 3
    weighted = cell(cycle, AT, "Q44", QUESTION, "ONE", EACH_CCG)
    assert not weighted.suppressed
    assert weighted.base == 4
    assert weighted.ccgs == 2
    assert weighted.effective_base == pytest.approx(3.0)
    # The score is the mean of the CCGs' means: (22.5 / 3 + 0) / 2 = 3.75; favourable (2/3 + 0) / 2 = 1/3;
    # unfavourable (1/3 + 1) / 2 = 2/3
    assert weighted.score == pytest.approx(3.75)
    assert weighted.pct_positive == pytest.approx(100 / 3)
    assert weighted.pct_negative == pytest.approx(200 / 3)
    # The weighted variance: Σw x² / Σw = ((100 + 100 + 6.25) / 3 + 0) / 2 = 34.375, less 3.75² = 20.3125,
    # times n_eff / (n_eff − 1) = 3/2: 30.46875; over n_eff 3 and with t on 2 df, the interval spans the scale
    half = stats.t_975(2) * math.sqrt(30.46875 / 3)
    assert half == pytest.approx(13.712, abs=1e-3)
    assert (weighted.score_low, weighted.score_high) == (0.0, 10.0)
    # A question's % positive takes Wilson's interval with n = 3 and p = 1/3
    n, p = 3, 1 / 3
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    spread = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    assert weighted.pct_positive_low == pytest.approx(100 * (centre - spread))
    assert weighted.pct_positive_high == pytest.approx(100 * (centre + spread))
    # And Q44 is the only area team with answers, so its region and England say the same
    for level, org in ((REGION, "Y54"), (ENGLAND, "ENG")):
        row = cell(cycle, level, org, QUESTION, "ONE", EACH_CCG)
        assert (row.ccgs, row.effective_base, row.score) == (2, pytest.approx(3.0), pytest.approx(3.75))


def test_with_one_lead_in_every_ccg_both_views_are_the_same(cycle):
    # Given five CCGs of Q44 with one lead each
    answers = (5, 4, 2, 1, 4)
    import_responses(
        cycle,
        [(ccg, "clinical", {"ONE": a}) for ccg, a in zip(("01C", "01R", "02D", "02E", "02F"), answers, strict=True)],
    )

    # When the figures are published
    recompute_and_publish(cycle)

    # Then "each CCG counts once" repeats "each lead counts once", intervals and all, with n_eff = n = 5
    leads = cell(cycle, AT, "Q44", QUESTION, "ONE")
    weighted = cell(cycle, AT, "Q44", QUESTION, "ONE", EACH_CCG)
    assert (weighted.ccgs, weighted.effective_base) == (5, pytest.approx(5.0))
    for field in ("base", "score", "score_low", "score_high", "pct_positive", "pct_positive_low", "pct_positive_high"):
        assert getattr(weighted, field) == pytest.approx(getattr(leads, field)), field


def test_the_weighted_figure_is_hidden_where_a_class_of_ccgs_is_too_small(cycle):
    # Given Q44 with one CCG of three leads and four CCGs of one lead (7 leads: the leads' figure shows)
    rows = [("01C", role, {"ONE": 4}) for role in ("clinical", "managerial", "financial")]
    rows += [(ccg, "clinical", {"ONE": 2}) for ccg in ("01R", "02D", "02E", "02F")]
    import_responses(cycle, rows)

    # When the figures are published
    recompute_and_publish(cycle)

    # Then the leads' figure shows, but not "each CCG counts once": beside it, the two figures would give
    # the three leads of Eastern Cheshire away (a class of 3, below the threshold of 5)
    assert not cell(cycle, AT, "Q44", QUESTION, "ONE").suppressed
    weighted = cell(cycle, AT, "Q44", QUESTION, "ONE", EACH_CCG)
    assert weighted.suppressed
    assert weighted.suppression_reason == "primary"
    assert weighted.score is None and weighted.ccgs is None and weighted.effective_base is None
