"""Incremental = full: any order of per-response refreshes (some run twice, a full recompute in between)
gives exactly the aggregates and published rows of one full recompute from scratch (issue 4, item 4), with
every rater group: leads, partners and self-assessments (issue 14).

Each hypothesis example runs inside a savepoint that is rolled back, so every example starts from the
same clean cycle (invited leads, no responses, no aggregates). Examples are derandomized: the same
examples run every time.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecards.models import AppliedResponse, ResponseScore, ScorecardAggregate
from scorecards.services import scorecard_apply_response, scorecards_publish, scorecards_recompute
from scorecards.services.aggregation import recompute
from scorecards.tests import attack
from scorecards.tests.factories import (
    Q,
    aggregate_snapshot,
    ccg_aggregate_snapshot,
    ccg_classes,
    current_rows,
    disclosure_leaks,
    import_for,
    invite,
    make_cycle,
    scorecard_snapshot,
)
from surveys.models import CycleState
from surveys.models import QuestionType as QT

pytestmark = pytest.mark.django_db

QUESTIONS = [
    Q("P-ONE", "NHS England listens.", behaviour="T-B1", role="T-R1"),
    Q("N-TWO", "NHS England decides too late.", behaviour="T-B1", positively_worded=False),
    Q("P-THREE", "My area team is helpful.", behaviour="T-B2", role="T-R1"),
    Q("N-FOUR", "NHS England asks for too much.", positively_worded=False),
    Q("COMMENT", "Comments", type=QT.FREE_TEXT),
]
AGREEMENT_CODES = [q.code for q in QUESTIONS if q.type == QT.AGREEMENT]
# Two area teams in Y54, one in Y55, one in Y56; every lead role (two leads per CCG and role), every partner
# group (one each per CCG) and each area team's self-assessment (rater groups, issue 14).
CCGS = ("01C", "00C", "05A", "07L")
POOL = [
    *[(ccg, role) for ccg in CCGS for role in ("clinical", "managerial", "financial")] * 2,
    *[(ccg, group) for ccg in CCGS for group in ("practice", "patients", "local_government", "self")],
]

answer_value = st.sampled_from(["5", "4", "3", "2", "1", "DK", ""])
answers = st.fixed_dictionaries(
    {**{code: answer_value for code in AGREEMENT_CODES}, "COMMENT": st.sampled_from(["", "Fine."])}
).filter(lambda a: any(a.values()))
responses = st.lists(
    st.tuples(st.integers(0, len(POOL) - 1), answers), min_size=1, max_size=14, unique_by=lambda row: row[0]
)


@pytest.fixture
def pool(organisations):
    cycle = make_cycle(2014, CycleState.CLOSED, QUESTIONS)
    return cycle, [invite(cycle, ccg, role) for ccg, role in POOL]


def test_any_sequence_of_incremental_refreshes_equals_a_full_recompute(pool, monkeypatch):
    cycle, invitations = pool
    # Full recomputes score the responses not yet applied a few at a time, as they do millions in batches
    monkeypatch.setattr(recompute, "SCORE_BATCH", 3)

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data):
        rows = data.draw(responses, label="responses")
        # A savepoint rolled back, not an atomic block: the services under test run in durable transactions
        # of their own, which an atomic block around them would refuse.
        savepoint = transaction.savepoint()
        try:
            # Given some submitted responses (random area teams, rater groups, answers incl. DK and blanks)
            submitted = import_for(cycle, [(invitations[i], a) for i, a in rows])
            ids = [r.pk for r in submitted]
            again = data.draw(st.lists(st.sampled_from(ids), max_size=4), label="applied twice")
            order = data.draw(st.permutations(ids + again), label="order")
            full_at = data.draw(st.none() | st.integers(0, len(order)), label="full recompute after step")

            # When they are applied one at a time, in any order, some twice, maybe a full recompute between
            for step, response_id in enumerate(order):
                if step == full_at:
                    scorecards_recompute(cycle_id=cycle.pk)
                scorecard_apply_response(response_id=response_id)
            incremental_aggregates = aggregate_snapshot(cycle), ccg_aggregate_snapshot(cycle)
            incremental_rows = scorecard_snapshot(scorecards_publish(cycle_id=cycle.pk, force=True))
            assert AppliedResponse.objects.filter(cycle=cycle).count() == len(ids)

            # And then everything is recomputed from scratch (scores too)
            scorecards_recompute(cycle_id=cycle.pk, rescore=True)
            full_aggregates = aggregate_snapshot(cycle), ccg_aggregate_snapshot(cycle)
            full_rows = scorecard_snapshot(scorecards_publish(cycle_id=cycle.pk, force=True))

            # Then the aggregates and every published field are identical
            assert incremental_aggregates == full_aggregates
            assert incremental_rows == full_rows
            assert len(full_rows) > 0
            # And no suppressed cell can be worked out from the visible ones, by one sum or by all of them
            assert disclosure_leaks(cycle) == []
            assert attack.recover(list(current_rows(cycle).values()), ccg_classes=ccg_classes(cycle)) == []
        finally:
            transaction.savepoint_rollback(savepoint)
        assert not ScorecardAggregate.objects.filter(cycle=cycle).exists()
        assert not ResponseScore.objects.filter(cycle=cycle).exists()

    check()


def test_the_aggregates_of_one_known_response_are_its_answers(pool):
    # Given one response: P-ONE 5, N-TWO 2, P-THREE DK, N-FOUR blank
    cycle, invitations = pool
    (response,) = import_for(cycle, [(invitations[0], {"P-ONE": 5, "N-TWO": 2, "P-THREE": "DK"})])

    # When it is applied (twice: the second time does nothing)
    assert scorecard_apply_response(response_id=response.pk) is True
    assert scorecard_apply_response(response_id=response.pk) is False

    # Then its rows are: P-ONE 5 (10 points), N-TWO 2 (reversed: 7.5), P-THREE one DK, behaviour T-B1 the mean
    # of 10 and 7.5 = 8.75, role T-R1 = 10 (P-THREE was DK), overall (10 + 7.5)/2 = 8.75; T-B2 has nobody.
    rows = {
        (kind, code): (n5, n2, dk, people, score_sum)
        for *_, kind, code, n5, _, _, n2, _, dk, _, _, people, score_sum, _, _ in aggregate_snapshot(cycle)
    }
    assert rows == {
        ("question", "P-ONE"): (1, 0, 0, 1, 10000),
        ("question", "N-TWO"): (0, 1, 0, 1, 7500),
        ("question", "P-THREE"): (0, 0, 1, 0, 0),
        ("behaviour", "T-B1"): (0, 0, 0, 1, 8750),
        ("role", "T-R1"): (0, 0, 0, 1, 10000),
        ("overall", "OVERALL"): (0, 0, 0, 1, 8750),
    }
