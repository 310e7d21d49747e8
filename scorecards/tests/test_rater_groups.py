"""Rater groups (issue 14): partners beside the CCG leads, the area team's self-assessment, and disclosure
control over every pool of groups (DESIGN.md §4)."""

import pytest

from scorecards import presentation
from scorecards.models import ItemKind, Level
from scorecards.services import scorecard_apply_response, scorecards_publish, scorecards_recompute
from scorecards.tests import attack
from scorecards.tests.factories import (
    Q,
    aggregate_snapshot,
    ccg_aggregate_snapshot,
    cell,
    close_fieldwork,
    current_rows,
    disclosure_leaks,
    import_responses,
    make_cycle,
    recompute_and_publish,
)
from surveys.models import CycleState

pytestmark = pytest.mark.django_db

AT, REGION, ENGLAND = Level.AREA_TEAM, Level.REGION, Level.ENGLAND
QUESTION, BEHAVIOUR = ItemKind.QUESTION, ItemKind.BEHAVIOUR
# Y54's area teams and some of their CCGs (the real 2013 structure).
Q44_CCGS, Q46_CCGS = ("01C", "01R", "02D", "02E", "02F"), ("00T", "00V", "00W", "00Y", "01D", "01G")


@pytest.fixture
def cycle(organisations):
    return make_cycle(
        2031,
        CycleState.OPEN,
        [Q("ONE", "NHS England listens.", behaviour="T-B"), Q("TWO", "NHS England explains.", behaviour="T-B")],
    )


def _people(ccgs, group: str, n: int, answers: dict) -> list[tuple]:
    return [(ccgs[i % len(ccgs)], group, dict(answers)) for i in range(n)]


def _published_dicts(cycle) -> list[dict]:
    return list(current_rows(cycle).values())


def test_a_small_partner_group_is_hidden_and_cannot_be_worked_out_from_partners_or_everyone_but_self(cycle):
    # Given Q44: 5 leads and 2 GP member practices; Q46: 6 leads and 6 practices (all strongly agree)
    import_responses(
        cycle,
        [
            *_people(Q44_CCGS, "clinical", 5, {"ONE": 5, "TWO": 5}),
            *_people(Q44_CCGS, "practice", 2, {"ONE": 5, "TWO": 5}),
            *_people(Q46_CCGS, "managerial", 6, {"ONE": 5, "TWO": 5}),
            *_people(Q46_CCGS, "practice", 6, {"ONE": 5, "TWO": 5}),
        ],
    )

    # When the cycle is published
    recompute_and_publish(cycle)

    # Then Q44's practices (2) and its partners (the same 2) are hidden for their own small base
    assert cell(cycle, AT, "Q44", QUESTION, "ONE", "practice").suppression_reason == "primary"
    assert cell(cycle, AT, "Q44", QUESTION, "ONE", "partners").suppression_reason == "primary"
    # And "everyone but self" (7) minus "CCG leads" (5) would give them away: one of the two is hidden too
    others, leads = cell(cycle, AT, "Q44", QUESTION, "ONE", "others"), cell(cycle, AT, "Q44", QUESTION, "ONE")
    assert others.suppressed or leads.suppressed
    assert "secondary" in {others.suppression_reason, leads.suppression_reason}
    # And Y54's practices (8) minus Q46's (6) would give Q44's away: something more is hidden
    q46 = cell(cycle, AT, "Q46", QUESTION, "ONE", "practice")
    y54 = cell(cycle, REGION, "Y54", QUESTION, "ONE", "practice")
    assert q46.suppressed or y54.suppressed
    # And England (never hidden) counts each group once: 11 leads, 8 practices, 19 everyone but self
    bases = {g: cell(cycle, ENGLAND, "ENG", QUESTION, "ONE", g).base for g in ("", "practice", "partners", "others")}
    assert bases == {"": 11, "practice": 8, "partners": 8, "others": 19}
    # And the attacker, applying every sum the outputs make true, recovers nothing
    assert attack.recover(_published_dicts(cycle)) == []
    assert disclosure_leaks(cycle) == []


def test_a_rater_groups_own_threshold_applies_to_its_cells_only(cycle, settings):
    # Given Q46 has 6 GP member practices and 6 leads; Q44 8 practices and 8 leads
    import_responses(
        cycle,
        [
            *_people(Q46_CCGS, "clinical", 6, {"ONE": 4}),
            *_people(Q46_CCGS, "practice", 6, {"ONE": 4}),
            *_people(Q44_CCGS, "clinical", 8, {"ONE": 4}),
            *_people(Q44_CCGS, "practice", 8, {"ONE": 4}),
        ],
    )
    # And with the default threshold (5) Q46's 6 practices are shown
    recompute_and_publish(cycle)
    assert cell(cycle, AT, "Q46", QUESTION, "ONE", "practice").base == 6

    # When practices need 8 (their own setting) and the cycle is published again
    settings.SUPPRESSION_MIN_BASE_BY_GROUP = {"practice": 8}
    scorecards_publish(cycle_id=cycle.pk, force=True)

    # Then Q46's 6 practices are too few for their own sake; Q44's 8 are enough (hidden, if at all, only to
    # protect Q46's), and 6 leads are still enough for the leads' threshold
    assert cell(cycle, AT, "Q46", QUESTION, "ONE", "practice").suppression_reason == "primary"
    assert cell(cycle, AT, "Q44", QUESTION, "ONE", "practice").suppression_reason != "primary"
    assert cell(cycle, AT, "Q46", QUESTION, "ONE", "clinical").suppression_reason != "primary"
    assert attack.recover(_published_dicts(cycle)) == []


def test_the_self_assessment_is_shown_as_it_is_and_never_pooled_into_others(cycle):
    # Given Q46: 6 managerial leads who tend to agree on ONE, and its own self-assessment (strongly agree)
    import_responses(
        cycle,
        [
            *_people(Q46_CCGS, "managerial", 6, {"ONE": 4, "TWO": 2}),
            *_people(Q46_CCGS, "self", 1, {"ONE": 5, "TWO": 5}),
        ],
    )

    # When published
    recompute_and_publish(cycle)

    # Then the self-assessment's cell has a base of 1 and is not hidden (the area team's own, attributable view)
    own = cell(cycle, AT, "Q46", QUESTION, "ONE", "self")
    assert (own.suppressed, own.base, own.score, own.pct_positive) == (False, 1, 10.0, 100.0)
    # And the CCG leads' figures hold the leads only (6 people, score 7.5)
    leads = cell(cycle, AT, "Q46", QUESTION, "ONE")
    assert (leads.base, leads.score) == (6, 7.5)
    # And with no partners there is no "everyone but self" or partners view to publish
    assert not current_rows(cycle).filter(rater_group__in=["others", "partners", "practice"]).exists()
    # And nothing hidden can be worked out (the self-assessment is in no sum)
    assert attack.recover(_published_dicts(cycle)) == []


def test_everyone_but_self_adds_partners_to_leads_and_leaves_the_self_assessment_out(cycle):
    # Given Q46: 5 clinical leads (score 7.5), 5 patients' representatives (score 2.5), a self-assessment (10)
    import_responses(
        cycle,
        [
            *_people(Q46_CCGS, "clinical", 5, {"ONE": 4}),
            *_people(Q46_CCGS, "patients", 5, {"ONE": 2}),
            *_people(Q46_CCGS, "self", 1, {"ONE": 5}),
        ],
    )

    # When published
    recompute_and_publish(cycle)

    # Then everyone but self is the 10 leads and patients: (5 × 7.5 + 5 × 2.5) / 10 = 5.0, 50% positive
    others = cell(cycle, AT, "Q46", QUESTION, "ONE", "others")
    assert (others.base, others.score, others.pct_positive) == (10, 5.0, 50.0)
    patients = cell(cycle, AT, "Q46", QUESTION, "ONE", "patients")
    assert (patients.base, patients.score, patients.pct_positive) == (5, 2.5, 0.0)
    # And the self-assessment stands apart
    assert cell(cycle, AT, "Q46", QUESTION, "ONE", "self").score == 10.0


@pytest.mark.parametrize(
    ("self_score", "leads_score", "expected"),
    [
        (10.0, 6.66, presentation.BLIND_SPOT),  # 3.34 above: just over a third of the scale
        (10.0, 6.68, None),  # 3.32 above: just under
        (2.5, 5.84, presentation.HIDDEN_STRENGTH),  # 3.34 below
        (2.5, 5.82, None),  # 3.32 below
        (10.0, None, None),  # the leads' figure hidden or missing: no gap is claimed
        (None, 5.0, None),
    ],
)
def test_a_blind_spot_and_a_hidden_strength_start_just_past_a_third_of_the_scale(self_score, leads_score, expected):
    assert presentation.self_gap(self_score, leads_score) == expected


def test_a_published_self_assessment_above_its_leads_by_more_than_a_third_is_a_blind_spot(cycle):
    # Given Q46's self-assessment strongly agrees with ONE and TWO (10 each); its 5 leads give ONE 3 × tend to
    # agree and 2 × neither, (3 × 7.5 + 2 × 5) / 5 = 6.5 (3.5 below self: a blind spot), and TWO 4 × tend to
    # agree and 1 × neither, (4 × 7.5 + 5) / 5 = 7.0 (3.0 below: not)
    import_responses(
        cycle,
        [
            *_people(Q46_CCGS, "self", 1, {"ONE": 5, "TWO": 5}),
            *_people(Q46_CCGS, "clinical", 3, {"ONE": 4, "TWO": 4}),
            ("00Y", "financial", {"ONE": 3, "TWO": 4}),
            ("01D", "financial", {"ONE": 3, "TWO": 3}),
        ],
    )

    # When published
    recompute_and_publish(cycle)

    # Then the gaps read off the published cells are as worked out
    def gap(code):
        own, leads = (cell(cycle, AT, "Q46", QUESTION, code, group) for group in ("self", ""))
        return leads.score, presentation.self_gap(own.score, leads.score)

    assert gap("ONE") == (6.5, presentation.BLIND_SPOT)
    assert gap("TWO") == (7.0, None)
    # And the behaviour (each lead's mean over ONE and TWO, then the mean over leads): (7.5 × 3 + 6.25 + 5) / 5
    behaviour = cell(cycle, AT, "Q46", BEHAVIOUR, "T-B")
    assert behaviour.score == pytest.approx(6.75)


def test_incremental_refreshes_with_every_rater_group_equal_the_full_recompute(cycle):
    # Given responses from leads, each kind of partner and a self-assessment, applied one at a time
    responses = import_responses(
        cycle,
        [
            *_people(Q44_CCGS, "clinical", 3, {"ONE": 5, "TWO": 1}),
            *_people(Q44_CCGS, "practice", 2, {"ONE": 4, "TWO": "DK"}),
            *_people(Q46_CCGS, "patients", 3, {"ONE": 2}),
            *_people(Q46_CCGS, "local_government", 2, {"TWO": 3}),
            *_people(Q46_CCGS, "self", 1, {"ONE": 5, "TWO": 4}),
        ],
    )
    close_fieldwork(cycle)
    for response in responses:
        assert scorecard_apply_response(response_id=response.pk)
    incremental, incremental_ccgs = aggregate_snapshot(cycle), ccg_aggregate_snapshot(cycle)

    # When everything is recomputed from the answers
    scorecards_recompute(cycle_id=cycle.pk, rescore=True)

    # Then the aggregates are identical, and each rater group has its own rows
    assert aggregate_snapshot(cycle) == incremental
    assert ccg_aggregate_snapshot(cycle) == incremental_ccgs
    assert {row[1] for row in incremental} == {"clinical", "practice", "patients", "local_government", "self"}
    # And the published set carries every view, and the CCG leads each CCG counting once
    scorecards_publish(cycle_id=cycle.pk, force=True)
    views = set(current_rows(cycle).values_list("rater_group", flat=True))
    assert views == {
        "",
        "ccgs",
        "clinical",
        "managerial",
        "financial",
        "others",
        "partners",
        *attack.POOL_PARTS["partners"],
        "self",
    }
