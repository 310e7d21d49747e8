"""Every published figure of a small cycle, checked against numbers worked out by hand (DESIGN.md §4).

The questionnaire (2014, with 2013 before it):

    T-POS  positively worded, behaviour T-B, role T-R      (same wording both years)
    T-NEG  negatively worded, behaviour T-B                (same wording both years)
    T-RW   positively worded, role T-R                      (REWORDED in 2014)
    T-COMMENT  free text                                    (never in the figures)

Item scores: positive 5→10, 4→7.5, 3→5, 2→2.5, 1→0; negative reversed (5→0 … 1→10).
"Favourable" (% positive) = agree with a positive statement or disagree with a negative one.

2014 responses (answers are T-POS, T-NEG, T-RW; DK = don't know, "" = left blank):

    Q44 (Y54)  clinical   (4,2,4) (4,2,3) (3,1,4)
               managerial (5,1,5) (2,4,2) (4,2,4)
    Q45 (Y54)  clinical   (5,2,4) (4,3,4) (1,5,1)
    Q46 (Y54)  clinical   (5,1,5) (5,1,4) (4,2,4) (4,3,3) (4,4,4) (3,5,2) (2,DK,3) (1,"",2)
               managerial (5,2,5) (4,1,4)
               financial  (4,1,4) (4,2,4) (3,2,3) (2,4,2) (5,3,5)
    Q53 (Y55)  clinical   (5,1,5) (5,2,4) (4,2,4) (3,2,3) (3,4,3)

2013 responses (all clinical):

    Q46 T-POS 3,3,2,2,1,4,3,2,5,1   T-NEG 3,3,4,4,5,2,3,4,1,5   T-RW 3 each
    Q53 T-POS 4,4,5                 T-NEG 2,2,1                 T-RW 4 each
    Q54 T-POS 4,3,3,2,4,5,3,2       T-NEG 2 each                T-RW 4 each
"""

import pytest
from django.conf import settings as django_settings

from scorecards.models import EACH_CCG, ENGLAND_CODE, OVERALL_CODE, ItemKind, Level, Scorecard
from scorecards.tests.factories import (
    QUESTIONS_2013,
    QUESTIONS_2014,
    RESPONSES_2013,
    RESPONSES_2014,
    C,
    F,
    M,
    cell,
    current_rows,
    import_responses,
    make_cycle,
    recompute_and_publish,
)
from surveys.models import Cycle, CycleState, Response

pytestmark = pytest.mark.django_db

AT, REGION, ENGLAND = Level.AREA_TEAM, Level.REGION, Level.ENGLAND
QUESTION, BEHAVIOUR, ROLE = ItemKind.QUESTION, ItemKind.BEHAVIOUR, ItemKind.ROLE
TIGHT = {"abs": 1e-6}


# Every cell with data has the same bases in every item (everyone answered T-POS and T-RW on the scale),
# except T-NEG, where Q46 clinical loses two (one DK, one blank): 8 → 6. Suppression at min base 5:
#   Lead roles within Q44: clinical 3 and managerial 3 are both primary (two suppressed: enough).
#   Lead roles within Q45: clinical 3 primary (its only non-empty role).
#   Lead roles within Q46: managerial 2 primary; the next-smallest, financial 5, is SECONDARY
#     (clinical is 8, or 6 for T-NEG, so financial is the smallest either way).
#   Area teams within Y54 (all leads): Q45 3 primary; next-smallest is Q44 6 (Q46 is 15 or 13) → SECONDARY.
#   Area teams within Y54 by role: clinical Q44 3 P, Q45 3 P (two already); managerial Q44 3 P, Q46 2 P.
#   Financial in Y54: Q46 is its only non-empty area team, so Y54 financial (5) EQUALS Q46 financial and
#     would give it away (then Q46 managerial = 15 − 8 − 5 = 2): Y54 financial is SECONDARY (the parent,
#     as there is no other sibling). Then Y54 = C 14 + M 5 + F 5(S): one suppressed, so the next-smallest,
#     Y54 managerial 5, is SECONDARY. England financial (5) and managerial (5) equal Y54's (Y55 has
#     neither), so both are SECONDARY too. England clinical 19, Y54 clinical 14: shown.
#   Q53 is exactly 5: shown.
# Primary: Q44 clinical 3, Q44 managerial 3, Q45 clinical 3 (and Q45's all leads, the same 3), Q46 managerial 2.
# Secondary: Q44's all leads (6) and Q46 clinical (8). The rule checks every sum at once: hiding Q46 financial,
# Y54 and England's managerial and financial instead (one relation at a time, as this portal once did) would
# leave Q44 managerial = Q44 all − Q44 clinical = (Y54 − Q45 − Q46) − (Y54 clinical − Q45 clinical − Q46
# clinical), with Q45 all = Q45 clinical: every term visible. Now two free parameters remain (Q46 clinical
# against Q46 managerial, Q44 clinical against Q45 clinical), so no hidden cell comes out; England is hidden
# only as a last resort, and is not here.
SUPPRESSED_2014 = {
    (AT, "Q44", ""): "secondary",
    (AT, "Q44", C): "primary",
    (AT, "Q44", M): "primary",
    (AT, "Q45", ""): "primary",
    (AT, "Q45", C): "primary",
    (AT, "Q46", C): "secondary",
    (AT, "Q46", M): "primary",
}


@pytest.fixture(scope="module")
def built_cycles(module_db):
    """2013 (published) and 2014 (open), each recomputed and published, once for the module: their ids."""
    previous = make_cycle(2013, CycleState.CLOSED, QUESTIONS_2013)
    import_responses(previous, RESPONSES_2013)
    recompute_and_publish(previous)
    Cycle.objects.filter(pk=previous.pk).update(state=CycleState.PUBLISHED)
    current = make_cycle(2014, CycleState.OPEN, QUESTIONS_2014)
    import_responses(current, RESPONSES_2014)
    recompute_and_publish(current)
    return previous.pk, current.pk


@pytest.fixture
def cycles(built_cycles, db):
    """2013 and 2014 as built above, read afresh for each test."""
    return tuple(Cycle.objects.get(pk=pk) for pk in built_cycles)


def test_the_fixture_is_what_the_hand_calculations_assume(cycles):
    _, current = cycles
    assert django_settings.SUPPRESSION_MIN_BASE == 5
    assert Response.objects.filter(cycle=current, status="submitted").count() == 29
    assert current_rows(current).values("scorecard_set__responses").first() == {"scorecard_set__responses": 29}


def test_small_cells_are_hidden_with_just_enough_others_that_no_sum_gives_one_away(cycles):
    # Given the 2014 cycle published
    _, current = cycles

    # Then every item has exactly the hand-derived suppressed cells, with their reasons
    items = {(row.kind, row.code) for row in current_rows(current)}
    assert items == {
        (ItemKind.OVERALL, OVERALL_CODE),
        (BEHAVIOUR, "T-B"),
        (ROLE, "T-R"),
        (QUESTION, "T-POS"),
        (QUESTION, "T-NEG"),
        (QUESTION, "T-RW"),
    }
    for kind, code in items:
        suppressed = {
            (row.level, row.org_code, row.rater_group): row.suppression_reason
            for row in current_rows(current).filter(kind=kind, code=code, suppressed=True).exclude(rater_group=EACH_CCG)
        }
        assert suppressed == SUPPRESSED_2014, (kind, code)
        # "Each CCG counts once" is hidden wherever the leads are, and more (test_each_ccg_counts_once)
        weighted = {
            (row.level, row.org_code)
            for row in current_rows(current).filter(kind=kind, code=code, suppressed=True, rater_group=EACH_CCG)
        }
        assert weighted >= {(level, org) for level, org, view in SUPPRESSED_2014 if view == ""}

    # And a suppressed cell carries no numbers at all
    fields = [f.name for f in Scorecard._meta.concrete_fields if f.null]
    for row in current_rows(current).filter(suppressed=True):
        assert all(getattr(row, name) is None for name in fields), row


def test_question_figures_in_an_area_team_match_the_hand_values(cycles):
    _, current = cycles
    row = cell(current, AT, "Q46", QUESTION, "T-POS")

    # T-POS in Q46, 15 answers: 5 ×4 (c,c,m,f), 4 ×6 (c,c,c,m,f,f), 3 ×2, 2 ×2, 1 ×1; no DK.
    assert (row.base, row.n5, row.n4, row.n3, row.n2, row.n1, row.dont_know) == (15, 4, 6, 2, 2, 1, 0)
    # % positive = 10/15 = 66.6667; % negative = 3/15 = 20.
    assert row.pct_positive == pytest.approx(200 / 3, **TIGHT)
    assert row.pct_negative == pytest.approx(20.0, **TIGHT)
    # Wilson, p = 2/3, n = 15, z = 1.959964 (z² = 3.841459): denominator 1 + z²/15 = 1.256097;
    # centre (0.666667 + z²/30) / 1.256097 = 0.632686; half z·√(p(1-p)/15 + z²/900) / 1.256097
    # = 1.959964 · √(0.0148148 + 0.0042683) / 1.256097 = 0.215553  →  [41.7135, 84.8237] %.
    assert row.pct_positive_low == pytest.approx(41.71354774, **TIGHT)
    assert row.pct_positive_high == pytest.approx(84.82367556, **TIGHT)
    # Score: (4·10 + 6·7.5 + 2·5 + 2·2.5 + 0) / 15 = 100/15 = 6.6667; Σx² = 400 + 337.5 + 50 + 12.5 = 800;
    # s² = (800 − 15·6.6667²) / 14 = 9.52381, s = 3.086067; t(0.975, 14) = 2.144787;
    # half = 2.144787 · 3.086067 / √15 = 1.709007  →  [4.957660, 8.375674].
    assert row.score == pytest.approx(100 / 15, **TIGHT)
    assert row.score_low == pytest.approx(4.957659726, **TIGHT)
    assert row.score_high == pytest.approx(8.375673607, **TIGHT)


def test_a_negatively_worded_question_is_reversed_and_dont_know_and_blank_leave_the_base(cycles):
    _, current = cycles
    row = cell(current, AT, "Q46", QUESTION, "T-NEG")

    # T-NEG in Q46: clinical 1,1,2,3,4,5,DK,blank; managerial 2,1; financial 1,2,2,4,3.
    # On the scale: 13 (the blank is nowhere; the DK is reported separately).
    # 5 ×1, 4 ×2, 3 ×2, 2 ×4, 1 ×4.
    assert (row.base, row.n5, row.n4, row.n3, row.n2, row.n1, row.dont_know) == (13, 1, 2, 2, 4, 4, 1)
    assert row.positively_worded is False
    # Favourable = disagree (2 or 1) = 8/13 = 61.5385 %; unfavourable = agree = 3/13 = 23.0769 %.
    assert row.pct_positive == pytest.approx(800 / 13, **TIGHT)
    assert row.pct_negative == pytest.approx(300 / 13, **TIGHT)
    # Wilson 8/13: [35.5229, 82.2903] %.
    assert row.pct_positive_low == pytest.approx(35.52289151, **TIGHT)
    assert row.pct_positive_high == pytest.approx(82.29029220, **TIGHT)
    # Reversed scores: 5→0 ×1, 4→2.5 ×2, 3→5 ×2, 2→7.5 ×4, 1→10 ×4: Σ = 0 + 5 + 10 + 30 + 40 = 85 → 6.5385;
    # Σx² = 12.5 + 50 + 225 + 400 = 687.5; s² = (687.5 − 13·6.5385²) / 12 = 10.9776, s = 3.313241;
    # t(0.975, 12) = 2.178813; half = 2.002085  →  [4.536290, 8.540633].
    assert row.score == pytest.approx(85 / 13, **TIGHT)
    assert row.score_low == pytest.approx(4.536290206, **TIGHT)
    assert row.score_high == pytest.approx(8.540632870, **TIGHT)

    # And the financial cell of the same question (1,2,2,4,3): 5 on the scale, no DK (the clinical one is hidden).
    financial = cell(current, AT, "Q46", QUESTION, "T-NEG", F)
    assert (financial.base, financial.dont_know, financial.n1, financial.n2, financial.n5) == (5, 0, 1, 2, 0)
    assert cell(current, AT, "Q46", QUESTION, "T-NEG", C).suppressed


def test_a_behaviour_score_is_the_mean_of_each_respondents_mean_item_score(cycles):
    _, current = cycles
    row = cell(current, AT, "Q46", BEHAVIOUR, "T-B")

    # Each Q46 respondent's T-B score = mean of their T-POS and T-NEG item scores:
    #   clinical   (10+10)/2=10, (10+10)/2=10, (7.5+7.5)/2=7.5, (7.5+5)/2=6.25, (7.5+2.5)/2=5, (5+0)/2=2.5,
    #              2.5 (T-NEG was DK), 0 (T-NEG blank)
    #   managerial (10+7.5)/2=8.75, (7.5+10)/2=8.75
    #   financial  (7.5+10)/2=8.75, (7.5+7.5)/2=7.5, (5+7.5)/2=6.25, (2.5+2.5)/2=2.5, (10+5)/2=7.5
    # Σ = 43.75 + 17.5 + 32.5 = 93.75 over 15 people → 6.25 (the item-level mean would be 185/28 = 6.607).
    assert row.base == 15
    assert row.score == pytest.approx(6.25, **TIGHT)
    # Σx² = 657.8125 (10²·2 + 7.5²·3 + 6.25²·2 + 5² + 2.5²·3 + 0 + 8.75²·3); s² = (657.8125 − 15·6.25²)/14
    # = 9.59821, s = 3.098098; t(0.975, 14) = 2.144787; half = 1.715670  →  [4.534330, 7.965670].
    assert row.score_low == pytest.approx(4.534330239, **TIGHT)
    assert row.score_high == pytest.approx(7.965669761, **TIGHT)
    # A group publishes no answer counts (they would be its statements' sums, and give hidden ones away).
    assert (row.n5, row.n4, row.n3, row.n2, row.n1, row.dont_know, row.answers) == (None,) * 7
    # % positive is per respondent: each one's share of favourable answers among the T-B statements they
    # answered on the scale (favourable: T-POS 4 or 5; T-NEG 1 or 2; 3 is neither):
    #   clinical   (5,1) 1, (5,1) 1, (4,2) 1, (4,3) ½, (4,4) ½, (3,5) 0, (2,DK) 0 of 1, (1,blank) 0 of 1
    #   managerial (5,2) 1, (4,1) 1
    #   financial  (4,1) 1, (4,2) 1, (3,2) ½, (2,4) 0, (5,3) ½
    # Σ = 9 over 15 people → 60 % (pooling the 28 answers would say 18/28 = 64.3 %). Σx² = 7 + 4·¼ = 8;
    # s² = (8 − 15·0.6²)/14 = 0.185714, s = 0.430946; t(0.975, 14) = 2.144787; half = 2.144787·0.430946/√15
    # = 0.238650 → [36.1350, 83.8650] %: a t interval over 15 people, not a Wilson interval over 28 answers.
    assert row.pct_positive == pytest.approx(60.0, **TIGHT)
    assert row.pct_positive_low == pytest.approx(36.13501685, **TIGHT)
    assert row.pct_positive_high == pytest.approx(83.86498315, **TIGHT)
    # Unfavourable shares: (4,4) ½, (3,5) ½, (2,DK) 1, (1,blank) 1, (2,4) 1 → 4/15 = 26.6667 %.
    assert row.pct_negative == pytest.approx(400 / 15, **TIGHT)


def test_region_and_england_are_the_area_team_sums_rolled_up(cycles):
    _, current = cycles
    region = cell(current, REGION, "Y54", QUESTION, "T-POS")
    england = cell(current, ENGLAND, ENGLAND_CODE, QUESTION, "T-POS")

    # Y54 = Q44 (4,4,3,5,2,4) + Q45 (5,4,1) + Q46 (4,6,2,2,1 by point): n5 6, n4 10, n3 3, n2 3, n1 2 → 24.
    assert (region.base, region.n5, region.n4, region.n3, region.n2, region.n1) == (24, 6, 10, 3, 3, 2)
    assert region.parent_code == ENGLAND_CODE
    # 16/24 = 66.6667 % (Wilson [46.7063, 82.0278]); negative 5/24 = 20.8333 %.
    assert region.pct_positive == pytest.approx(200 / 3, **TIGHT)
    assert region.pct_negative == pytest.approx(500 / 24, **TIGHT)
    assert region.pct_positive_low == pytest.approx(46.70631684, **TIGHT)
    assert region.pct_positive_high == pytest.approx(82.02780967, **TIGHT)
    # Score (60 + 75 + 15 + 7.5) / 24 = 6.5625; s = 3.111383, t(0.975, 23) = 2.068658 → [5.248678, 7.876322].
    assert region.score == pytest.approx(6.5625, **TIGHT)
    assert region.score_low == pytest.approx(5.248678025, **TIGHT)
    assert region.score_high == pytest.approx(7.876321975, **TIGHT)

    # England = Y54 + Y55 (Q53: 5,5,4,3,3): n5 8, n4 11, n3 5, n2 3, n1 2 → 29; 19/29 = 65.5172 %.
    assert (england.base, england.n5, england.n4, england.n3, england.n2, england.n1) == (29, 8, 11, 5, 3, 2)
    assert england.pct_positive == pytest.approx(1900 / 29, **TIGHT)
    assert england.pct_positive_low == pytest.approx(47.34510409, **TIGHT)
    assert england.pct_positive_high == pytest.approx(80.05928147, **TIGHT)
    # Score 195/29 = 6.724138; s = 2.995789, t(0.975, 28) = 2.048407 → [5.584601, 7.863675].
    assert england.score == pytest.approx(195 / 29, **TIGHT)
    assert england.score_low == pytest.approx(5.584600614, **TIGHT)
    assert england.score_high == pytest.approx(7.863675248, **TIGHT)
    # England by role: clinical 19, managerial 5 (Q44's 3 and Q46's 2, both hidden: their sum says neither),
    # financial 5 (all of them Q46's, shown there too).
    assert [cell(current, ENGLAND, ENGLAND_CODE, QUESTION, "T-POS", lr).base for lr in (C, M, F)] == [19, 5, 5]


def test_a_cell_of_exactly_the_minimum_base_is_shown_and_its_interval_is_clipped_to_the_scale(cycles):
    _, current = cycles
    row = cell(current, AT, "Q53", QUESTION, "T-POS")

    # Q53: 5,5,4,3,3 → base 5 (not below 5); 3/5 = 60 %, Wilson [23.0724, 88.2379].
    assert (row.suppressed, row.base, row.n5, row.n4, row.n3) == (False, 5, 2, 1, 2)
    assert row.pct_positive == pytest.approx(60.0, **TIGHT)
    assert row.pct_positive_low == pytest.approx(23.07242813, **TIGHT)
    assert row.pct_positive_high == pytest.approx(88.23792258, **TIGHT)
    # Score (10+10+7.5+5+5)/5 = 7.5, s = 2.5, t(0.975, 4) = 2.776445: 7.5 ± 3.104160 → [4.395840, 10.604] → high 10.
    assert row.score == pytest.approx(7.5, **TIGHT)
    assert row.score_low == pytest.approx(4.395840004, **TIGHT)
    assert row.score_high == 10.0


def test_an_area_team_with_no_responses_is_empty_not_suppressed(cycles):
    _, current = cycles
    row = cell(current, AT, "Q47", QUESTION, "T-POS")

    assert (row.suppressed, row.base, row.answers, row.pct_positive, row.score) == (False, 0, 0, None, None)


def test_change_since_last_year_for_a_question_with_the_same_wording(cycles):
    _, current = cycles
    row = cell(current, AT, "Q46", QUESTION, "T-POS")

    # 2013 Q46 T-POS: 3,3,2,2,1,4,3,2,5,1 → favourable 2/10 = 20 %; scores 5,5,2.5,2.5,0,7.5,5,2.5,10,0 → 4.0.
    assert row.previous_pct_positive == pytest.approx(20.0, **TIGHT)
    assert row.change_pct_positive == pytest.approx(200 / 3 - 20, **TIGHT)
    # z test: pooled (10+2)/(15+10) = 0.48; se = √(0.48·0.52·(1/15+1/10)) = √0.0416 = 0.203961;
    # z = 0.466667/0.203961 = 2.288019 → p = 2·(1 − Φ(2.288)) = 0.022136 < 0.05: significant.
    assert row.change_pct_positive_p == pytest.approx(0.0221362646, **TIGHT)
    assert row.change_pct_positive_significant is True
    # Welch: 2014 mean 6.6667, s² 9.52381, n 15; 2013 mean 4.0, Σx² 250, s² = (250 − 160)/9 = 10, n 10;
    # se² = 9.52381/15 + 10/10 = 1.634921; t = 2.6667/1.278640 = 2.085549;
    # df = 1.634921² / (0.634921²/14 + 1²/9) = 19.1055 → p = 0.050667 ≥ 0.05: NOT significant.
    assert row.previous_score == pytest.approx(4.0, **TIGHT)
    assert row.change_score == pytest.approx(100 / 15 - 4, **TIGHT)
    assert row.change_score_p == pytest.approx(0.0506665414, **TIGHT)
    assert row.change_score_significant is False


def test_change_for_a_behaviour_uses_respondent_scores_and_england_rolls_up_both_years(cycles):
    _, current = cycles
    behaviour = cell(current, AT, "Q46", BEHAVIOUR, "T-B")

    # 2013 Q46 respondents' T-B scores (T-POS, T-NEG reversed): (3,3)→5, 5, (2,4)→2.5, 2.5, (1,5)→0, (4,2)→7.5,
    # (3,3)→5, (2,4)→2.5, (5,1)→10, (1,5)→0: mean 40/10 = 4.0. Welch vs 2014 (6.25, s 3.098098, n 15):
    # t = 1.757019, df 19.16 → p = 0.094884. Favourable shares 2013: (4,2) 1 and (5,1) 1, the other eight 0:
    # mean 20 %, s² = (2 − 10·0.04)/9 = 0.177778. Welch on shares vs 2014 (0.6, s² 0.185714, n 15):
    # se² = 0.185714/15 + 0.177778/10 = 0.030159, t = 0.4/0.173663 = 2.303316, df 19.74 → p = 0.032274.
    assert behaviour.previous_score == pytest.approx(4.0, **TIGHT)
    assert behaviour.change_score == pytest.approx(2.25, **TIGHT)
    assert behaviour.change_score_p == pytest.approx(0.0948841343, **TIGHT)
    assert behaviour.change_score_significant is False
    assert behaviour.previous_pct_positive == pytest.approx(20.0, **TIGHT)
    assert behaviour.change_pct_positive_p == pytest.approx(0.0322739132, **TIGHT)
    assert behaviour.change_pct_positive_significant is True

    # England T-POS: 2014 19/29; 2013 Q46 2 + Q53 3 + Q54 3 = 8/21 → change 27.4220 points,
    # z = 1.920202 → p = 0.054832 (not significant); scores 195/29 vs 110/21 = 5.238095, Welch p = 0.094059.
    england = cell(current, ENGLAND, ENGLAND_CODE, QUESTION, "T-POS")
    assert england.previous_pct_positive == pytest.approx(800 / 21, **TIGHT)
    assert england.change_pct_positive == pytest.approx(27.4220032841, **TIGHT)
    assert england.change_pct_positive_p == pytest.approx(0.0548323281, **TIGHT)
    assert england.change_pct_positive_significant is False
    assert england.previous_score == pytest.approx(110 / 21, **TIGHT)
    assert england.change_score_p == pytest.approx(0.0940587270, **TIGHT)


def test_no_change_is_claimed_for_a_reworded_question_or_a_group_containing_it(cycles):
    _, current = cycles
    change_fields = ("previous_pct_positive", "change_pct_positive", "change_pct_positive_p", "previous_score")

    # T-RW changed wording; role T-R and "all statements" contain it; T-B (T-POS, T-NEG) does not.
    for kind, code in ((QUESTION, "T-RW"), (ROLE, "T-R"), (ItemKind.OVERALL, OVERALL_CODE)):
        for level, org in ((ENGLAND, ENGLAND_CODE), (REGION, "Y54"), (AT, "Q46")):
            row = cell(current, level, org, kind, code)
            assert row.base > 0
            assert all(getattr(row, name) is None for name in change_fields), (kind, code, org)
            assert row.change_score_significant is None
    assert cell(current, ENGLAND, ENGLAND_CODE, BEHAVIOUR, "T-B").change_score is not None


def test_no_change_is_claimed_against_a_cell_suppressed_last_year(cycles):
    previous, current = cycles
    # 2013: Q53 had 3 (primary) and its sibling Q54 8 (secondary); 2014 Q53 has 5 and is shown.
    assert cell(previous, AT, "Q53", QUESTION, "T-POS").suppression_reason == "primary"
    assert cell(previous, AT, "Q54", QUESTION, "T-POS").suppression_reason == "secondary"

    row = cell(current, AT, "Q53", QUESTION, "T-POS")

    assert row.suppressed is False
    assert (row.previous_pct_positive, row.change_pct_positive, row.change_score, row.change_score_p) == (
        None,
        None,
        None,
        None,
    )
    # While Y55 (2013: 11, shown) does get a change: 3/5 now vs 2013 (4,4,5 + 4,3,3,2,4,5,3,2) 6/11.
    assert cell(current, REGION, "Y55", QUESTION, "T-POS").previous_pct_positive == pytest.approx(600 / 11, **TIGHT)


def test_suppressed_cells_claim_no_change(cycles):
    _, current = cycles
    for level, org, rater_group in SUPPRESSED_2014:
        row = cell(current, level, org, QUESTION, "T-POS", rater_group)
        assert row.change_pct_positive is None and row.change_score is None and row.previous_score is None
