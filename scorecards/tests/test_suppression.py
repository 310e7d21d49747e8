"""Disclosure control: no suppressed cell can be worked out from the visible ones (DESIGN.md §4)."""

import pytest

from scorecards.models import ItemKind, Level
from scorecards.tests.factories import Q, cell, disclosure_leaks, import_responses, make_cycle, recompute_and_publish
from surveys.models import CycleState

pytestmark = pytest.mark.django_db

AT, REGION = Level.AREA_TEAM, Level.REGION
QUESTION = ItemKind.QUESTION


def _answering(ccg: str, rater_group: str, n: int) -> list[tuple]:
    return [(ccg, rater_group, {"ONE": 4})] * n


@pytest.fixture
def one_question_cycle(organisations):
    return make_cycle(2014, CycleState.OPEN, [Q("ONE", "NHS England listens.", behaviour="T-B")])


def test_an_area_team_suppressed_as_a_sibling_is_not_given_away_by_its_lead_roles(one_question_cycle):
    # Given Y54: Q44 6 clinical; Q45 1 clinical + 2 managerial (3: primary); Q46 5 clinical + 5 managerial.
    # Q44 (6) is the next-smallest sibling of Q45, so it is suppressed; but its lead-role cells
    # (clinical 6, others empty) would show its total, and Y54 − Q46 − Q44 would give Q45 away.
    cycle = one_question_cycle
    import_responses(
        cycle,
        [
            *_answering("01C", "clinical", 6),
            *_answering("00C", "clinical", 1),
            *_answering("00D", "managerial", 2),
            *_answering("00T", "clinical", 5),
            *_answering("00V", "managerial", 5),
        ],
    )

    # When the cycle is published
    recompute_and_publish(cycle)

    # Then Q45 is primary, Q44 secondary, and Q44's clinical cell is suppressed with it
    assert cell(cycle, AT, "Q45", QUESTION, "ONE").suppression_reason == "primary"
    assert cell(cycle, AT, "Q44", QUESTION, "ONE").suppression_reason == "secondary"
    assert cell(cycle, AT, "Q44", QUESTION, "ONE", "clinical").suppression_reason == "secondary"
    assert cell(cycle, REGION, "Y54", QUESTION, "ONE").base == 19
    # And no relation anywhere has a single suppressed cell
    assert disclosure_leaks(cycle) == []


def test_a_suppressed_cell_that_is_its_parents_only_part_takes_the_parent_with_it(one_question_cycle):
    # Given Q46: 8 clinical, 2 managerial (primary), 5 financial (secondary, the next-smallest role);
    # Q46 is the only area team in Y54 with financial leads, so Y54 financial would equal Q46 financial.
    cycle = one_question_cycle
    import_responses(
        cycle,
        [
            *_answering("00T", "clinical", 8),
            *_answering("00V", "managerial", 2),
            *_answering("00W", "financial", 5),
            *_answering("01C", "clinical", 6),
        ],
    )

    # When the cycle is published
    recompute_and_publish(cycle)

    # Then Y54 financial (the parent of Q46 financial alone) is suppressed too, and England's, which equals it;
    # Y54 managerial is 2 (primary itself), so Y54's lead roles already have two suppressed cells.
    assert cell(cycle, AT, "Q46", QUESTION, "ONE", "managerial").suppression_reason == "primary"
    assert cell(cycle, AT, "Q46", QUESTION, "ONE", "financial").suppression_reason == "secondary"
    assert cell(cycle, REGION, "Y54", QUESTION, "ONE", "financial").suppression_reason == "secondary"
    assert cell(cycle, REGION, "Y54", QUESTION, "ONE", "managerial").suppression_reason == "primary"
    assert cell(cycle, Level.ENGLAND, "ENG", QUESTION, "ONE", "financial").suppression_reason == "secondary"
    assert cell(cycle, REGION, "Y54", QUESTION, "ONE", "clinical").base == 14
    assert disclosure_leaks(cycle) == []


def test_the_minimum_base_is_a_setting(one_question_cycle, settings):
    # Given an area team of 6 and the threshold raised to 7
    cycle = one_question_cycle
    settings.SUPPRESSION_MIN_BASE = 7
    import_responses(cycle, [*_answering("01C", "clinical", 6), *_answering("00T", "clinical", 9)])

    # When published
    scorecard_set = recompute_and_publish(cycle)

    # Then 6 is now below the threshold, and the set records the threshold it used
    assert scorecard_set.min_base == 7
    assert cell(cycle, AT, "Q44", QUESTION, "ONE").suppression_reason == "primary"
    assert cell(cycle, AT, "Q46", QUESTION, "ONE").suppression_reason == "secondary"
    assert disclosure_leaks(cycle) == []


def test_a_cell_with_only_dont_know_answers_is_suppressed_not_shown():
    from scorecards.services.aggregation import SUM_FIELDS
    from scorecards.services.publishing import Item, suppression

    def cell(people, dk):
        return {**dict.fromkeys(SUM_FIELDS, 0), "people": people, "dk": dk}

    orgs = {"ENG": ("England", ""), "Y54": ("North", "ENG"), "Q44": ("A", "Y54"), "Q45": ("B", "Y54")}
    sums = {
        ("area_team", "Q44", "question", "X", "clinical"): cell(0, 2),
        ("area_team", "Q45", "question", "X", "clinical"): cell(0, 0),
    }

    items = [Item(ItemKind.QUESTION, "X", "X", 1000)]
    reasons = suppression(sums, orgs, 5, items)

    assert reasons[("area_team", "Q44", "question", "X", "clinical")] == "primary"
    assert ("area_team", "Q45", "question", "X", "clinical") not in reasons
