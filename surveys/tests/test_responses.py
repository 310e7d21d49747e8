import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from core.errors import Conflict, DomainError
from core.models import OutboxTask
from surveys.answers import MSG_AGREEMENT_INVALID, MSG_UNKNOWN_QUESTION, AnswersInvalid
from surveys.models import Answer, CycleState, Invitation, Response
from surveys.selectors import questionnaire_for_cycle, response_for_respondent, response_review
from surveys.services import (
    ImportFileError,
    cycle_set_state,
    response_get_or_create_draft,
    response_save_draft,
    response_submit,
    responses_import,
)
from surveys.services import responses as svc
from surveys.signals import response_submitted, responses_imported

UK = ZoneInfo("Europe/London")
ANSWERS = {"AT-EFFECTIVE": 4, "PC-VISION": 2, "SUPPORT": 0, "NL-GUIDANCE": 1, "COMMENT-AREA-TEAM": "  Helpful.  "}


def _answer_rows(response):
    return sorted(
        response.answers.values_list("question__code", "choice", "text", "cycle_id", "area_team_id", "rater_group")
    )


@pytest.fixture
def draft(invitation):
    return response_get_or_create_draft(invitation=invitation)


@pytest.mark.django_db
def test_draft_captures_ccg_area_team_and_lead_role(draft, invitation):
    assert (draft.cycle, draft.ccg, draft.area_team, draft.rater_group, draft.status) == (
        invitation.cycle,
        invitation.ccg,
        invitation.ccg.area_team,
        "clinical",
        "draft",
    )
    assert response_get_or_create_draft(invitation=invitation) == draft
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_saving_a_section_merges_into_the_draft_and_blank_clears(draft):
    response_save_draft(response=draft, answers={"AT-EFFECTIVE": "5", "SUPPORT": "dk", "CP-PATIENTS": 3})
    response_save_draft(response=draft, answers={"AT-EFFECTIVE": 4, "CP-PATIENTS": None, "COMMENT-HONESTY": " x "})

    draft.refresh_from_db()
    assert draft.draft == {"AT-EFFECTIVE": 4, "SUPPORT": 0, "COMMENT-HONESTY": "x"}
    assert Answer.objects.count() == 0


@pytest.mark.django_db
def test_unknown_codes_and_out_of_range_values_are_refused_and_nothing_saved(draft):
    response_save_draft(response=draft, answers={"SUPPORT": 5})

    with pytest.raises(AnswersInvalid) as excinfo:
        response_save_draft(
            response=draft, answers={"NOPE": 3, "SUPPORT": 6, "PC-VISION": True, "AT-EFFECTIVE": "agree", "HT-OPEN": 2}
        )

    assert excinfo.value.errors == {
        "NOPE": MSG_UNKNOWN_QUESTION,
        "SUPPORT": MSG_AGREEMENT_INVALID,
        "PC-VISION": MSG_AGREEMENT_INVALID,
        "AT-EFFECTIVE": MSG_AGREEMENT_INVALID,
    }
    assert {d["question"] for d in excinfo.value.details} == set(excinfo.value.errors)
    draft.refresh_from_db()
    assert draft.draft == {"SUPPORT": 5}


@pytest.mark.django_db
def test_closed_cycle_refuses_answers_and_keeps_the_draft(draft, open_cycle):
    response_save_draft(response=draft, answers={"SUPPORT": 5})
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)

    with pytest.raises(Conflict) as excinfo:
        response_save_draft(response=draft, answers={"SUPPORT": 1})
    assert (excinfo.value.message, excinfo.value.code) == (svc.MSG_CYCLE_CLOSED, "cycle_closed")
    with pytest.raises(Conflict) as excinfo:
        response_submit(response=draft)
    assert excinfo.value.message == svc.MSG_CYCLE_CLOSED

    draft.refresh_from_db()
    assert (draft.status, draft.draft) == ("draft", {"SUPPORT": 5})
    assert Answer.objects.count() == 0


@pytest.mark.django_db
def test_no_new_draft_in_a_closed_cycle(invitation, open_cycle):
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)

    with pytest.raises(Conflict):
        response_get_or_create_draft(invitation=invitation)

    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_submit_writes_denormalised_answers_stamps_and_sends_receipt_and_signal(
    draft, invitation, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    response_save_draft(response=draft, answers=ANSWERS)
    response_submitted.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            submitted = response_submit(response=draft)
            # Inside the transaction, so that listeners' outbox rows commit with the submission;
            # the receipt is sent only after commit.
            assert len(received) == 1
            assert mail.outbox == []
            assert OutboxTask.objects.filter(task="surveys.tasks.response_receipt_send_task").exists()
    finally:
        response_submitted.disconnect(listener)

    assert (submitted.status, submitted.source) == ("submitted", "web")
    rows = _answer_rows(submitted)
    at = invitation.ccg.area_team_id
    cycle = invitation.cycle_id
    assert rows == [
        ("AT-EFFECTIVE", 4, "", cycle, at, "clinical"),
        ("COMMENT-AREA-TEAM", None, "Helpful.", cycle, at, "clinical"),
        ("NL-GUIDANCE", 1, "", cycle, at, "clinical"),
        ("PC-VISION", 2, "", cycle, at, "clinical"),
        ("SUPPORT", 0, "", cycle, at, "clinical"),
    ]
    invitation.refresh_from_db()
    assert invitation.submitted_at == submitted.submitted_at
    assert received == [
        {
            "signal": response_submitted,
            "response_id": draft.pk,
            "cycle_id": cycle,
            "area_team_id": at,
            "rater_group": "clinical",
        }
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [invitation.user.email]
    assert "We received your" in mail.outbox[0].body
    assert callbacks and OutboxTask.objects.count() == 0  # sent, so no longer waiting


@pytest.mark.django_db
def test_submitting_twice_gives_one_response_one_set_of_answers_and_one_receipt(
    draft, django_capture_on_commit_callbacks
):
    response_save_draft(response=draft, answers=ANSWERS)
    with django_capture_on_commit_callbacks(execute=True):
        first = response_submit(response=draft)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = response_submit(response=draft)

    assert second.pk == first.pk
    assert second.submitted_at == first.submitted_at
    assert Answer.objects.count() == 5
    assert second_callbacks == []
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_submitted_response_is_read_only(draft):
    response_save_draft(response=draft, answers={"SUPPORT": 5})
    response_submit(response=draft)

    with pytest.raises(Conflict) as excinfo:
        response_save_draft(response=draft, answers={"SUPPORT": 1})

    assert excinfo.value.message == svc.MSG_ALREADY_SUBMITTED


@pytest.mark.django_db
def test_an_empty_draft_cannot_be_submitted(draft):
    with pytest.raises(DomainError) as excinfo:
        response_submit(response=draft)

    assert excinfo.value.message == svc.MSG_NOTHING_TO_SUBMIT
    assert Response.objects.get().status == "draft"


@pytest.mark.django_db
def test_response_review_lists_every_section_with_labels_without_queries(draft, open_cycle, django_assert_num_queries):
    draft = response_save_draft(response=draft, answers={"SUPPORT": 4, "COMMENT-HONESTY": "Fine"})
    questionnaire = questionnaire_for_cycle(cycle=open_cycle)

    with django_assert_num_queries(0):
        review = response_review(response=draft, questionnaire=questionnaire)

    assert [s.number for s in review] == [1, 2, 3, 4, 5, 6]
    labels = {item.question.code: item.label for s in review for item in s.items}
    assert (labels["SUPPORT"], labels["COMMENT-HONESTY"], labels["HT-OPEN"]) == (
        "Tend to agree",
        "Fine",
        "Not answered",
    )
    assert sum(s.answered for s in review) == 2


# Contractor import -----------------------------------------------------------------------------


@pytest.fixture
def leads(open_cycle, make_invitation, make_lead):
    return {
        "a": make_invitation(user=make_lead(email="a@x.nhs.uk")),
        "b": make_invitation(user=make_lead(email="b@x.nhs.uk", ccg_code="02N", lead_role="financial")),
        "c": make_invitation(user=make_lead(email="c@x.nhs.uk")),
    }


def _state():
    return (
        Response.objects.count(),
        Answer.objects.count(),
        Invitation.objects.filter(submitted_at__isnull=False).count(),
    )


@pytest.mark.django_db
def test_good_file_creates_submitted_responses_identical_to_web_ones(leads, django_capture_on_commit_callbacks):
    received, one_by_one = [], []
    responses_imported.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="t")
    response_submitted.connect(lambda sender, **kw: one_by_one.append(kw), weak=False, dispatch_uid="t1")
    text = (
        "email,submitted_at,AT-EFFECTIVE,PC-VISION,SUPPORT,NL-GUIDANCE,COMMENT-AREA-TEAM,HT-OPEN\n"
        'A@x.nhs.uk,2014-06-01T10:30:00+01:00,4,2,DK,1,"  Helpful.  ",\n'
        "b@x.nhs.uk,,5,5,5,5,,3\n"
    )
    try:
        with time_machine.travel(dt.datetime(2014, 6, 10, 12, tzinfo=UK), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                result = responses_import(cycle=leads["a"].cycle, raw=text.encode())
    finally:
        responses_imported.disconnect(dispatch_uid="t")
        response_submitted.disconnect(dispatch_uid="t1")

    assert (result.responses, result.answers) == (2, 10)
    imported = Response.objects.get(invitation=leads["a"])
    assert (imported.status, imported.source) == ("submitted", "import")
    assert imported.submitted_at == dt.datetime(2014, 6, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert Response.objects.get(invitation=leads["b"]).submitted_at == dt.datetime(2014, 6, 10, 12, tzinfo=UK)
    # One signal for the whole file (one rebuild and one publish), none per response.
    assert len(received) == 1 and one_by_one == []
    assert received[0]["cycle_id"] == leads["a"].cycle_id
    assert sorted(received[0]["response_ids"]) == sorted(Response.objects.values_list("pk", flat=True))
    assert mail.outbox == []  # the contractor collected these: no receipts

    # The same answers given on the web produce the same Answer rows.
    web = response_get_or_create_draft(invitation=leads["c"])
    response_save_draft(response=web, answers=ANSWERS)
    response_submit(response=web)
    assert [row[:3] for row in _answer_rows(imported)] == [row[:3] for row in _answer_rows(web)]
    assert [row[3:] for row in _answer_rows(imported)] == [row[3:] for row in _answer_rows(web)]


@pytest.mark.django_db
def test_import_with_replace_drafts_replaces_an_unsubmitted_web_draft(leads):
    draft = response_get_or_create_draft(invitation=leads["a"])
    response_save_draft(response=draft, answers={"SUPPORT": 1, "HT-OPEN": 1})

    responses_import(cycle=leads["a"].cycle, raw=b"email,SUPPORT\na@x.nhs.uk,5\n", replace_drafts=True)

    draft.refresh_from_db()
    assert (draft.status, draft.draft) == ("submitted", {"SUPPORT": 5})
    assert list(draft.answers.values_list("question__code", "choice")) == [("SUPPORT", 5)]


BAD_RESPONSE_FILES = {
    "unknown email": (
        "email,SUPPORT\nnobody@x.nhs.uk,5\n",
        ['Line 2, column 1 ("email"): nobody@x.nhs.uk is not invited to the 2014 cycle.'],
    ),
    "unknown question column": (
        "email,SUPPORT,NOPE\na@x.nhs.uk,5,1\n",
        ['Line 1, column 3 ("NOPE"): no question has this code in the 2014 questionnaire.'],
    ),
    "value out of range": (
        "email,SUPPORT,PC-VISION\na@x.nhs.uk,6,2\nb@x.nhs.uk,4,agree\n",
        [
            "Line 2, column 2 (\"SUPPORT\"): '6' is not 5, 4, 3, 2, 1, DK or empty.",
            "Line 3, column 3 (\"PC-VISION\"): 'agree' is not 5, 4, 3, 2, 1, DK or empty.",
        ],
    ),
    "bad date": (
        "email,submitted_at,SUPPORT\na@x.nhs.uk,01/06/2014,5\n",
        [svc.MSG_DATE_INVALID.format(line=2, column=2, value="01/06/2014")],
    ),
    "future date": (
        "email,submitted_at,SUPPORT\na@x.nhs.uk,2099-01-01T00:00:00Z,5\n",
        [svc.MSG_DATE_FUTURE.format(line=2, column=2, value="2099-01-01T00:00:00Z")],
    ),
    "duplicate email": (
        "email,SUPPORT\na@x.nhs.uk,5\nb@x.nhs.uk,4\nA@x.nhs.uk,3\n",
        ['Line 4, column 1 ("email"): a@x.nhs.uk appears again (first on line 2).'],
    ),
    "duplicate column": (
        "email,SUPPORT,support\na@x.nhs.uk,5,4\n",
        ['Line 1, column 3 ("support"): this column appears again (first in column 2).'],
    ),
    "no email column": ("SUPPORT\n5\n", ['Line 1: missing column "email".']),
    "short row": ("email,SUPPORT,HT-OPEN\na@x.nhs.uk,5\n", ["Line 2: 2 values, but the header has 3 columns."]),
    "no answers": ("email,SUPPORT\na@x.nhs.uk,\n", ["Line 2: no answers."]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_RESPONSE_FILES)
def test_bad_response_file_is_refused_with_line_and_column_and_nothing_written(leads, case):
    text, expected = BAD_RESPONSE_FILES[case]
    before = _state()

    with pytest.raises(ImportFileError) as excinfo:
        responses_import(cycle=leads["a"].cycle, raw=text.encode())

    assert excinfo.value.problems == expected
    assert _state() == before


@pytest.mark.django_db
def test_a_lead_who_already_submitted_is_refused_and_nothing_written(leads):
    web = response_get_or_create_draft(invitation=leads["b"])
    response_save_draft(response=web, answers={"SUPPORT": 2})
    response_submit(response=web)
    before = _state()

    with pytest.raises(ImportFileError) as excinfo:
        responses_import(cycle=leads["a"].cycle, raw=b"email,SUPPORT\na@x.nhs.uk,5\nb@x.nhs.uk,4\n")

    assert excinfo.value.problems == ['Line 3, column 1 ("email"): b@x.nhs.uk has already submitted a response.']
    assert _state() == before


@pytest.mark.django_db
def test_a_lead_invited_to_another_cycle_only_is_not_invited(leads, make_lead):
    from surveys.tests.factories import CycleFactory, InvitationFactory

    InvitationFactory(cycle=CycleFactory(year=2013), user=make_lead(email="old@x.nhs.uk"))

    with pytest.raises(ImportFileError) as excinfo:
        responses_import(cycle=leads["a"].cycle, raw=b"email,SUPPORT\nold@x.nhs.uk,5\n")

    assert "old@x.nhs.uk is not invited to the 2014 cycle" in excinfo.value.problems[0]


@pytest.mark.django_db
def test_responses_import_into_a_draft_cycle_is_refused(draft_cycle):
    with pytest.raises(Conflict):
        responses_import(cycle=draft_cycle, raw=b"email,SUPPORT\na@x.nhs.uk,5\n")


@pytest.mark.django_db
def test_response_for_respondent_is_only_ever_their_own(leads, make_lead, open_cycle):
    mine = response_get_or_create_draft(invitation=leads["a"])
    response_get_or_create_draft(invitation=leads["b"])

    assert response_for_respondent(user=leads["a"].user, cycle=open_cycle) == mine
    assert response_for_respondent(user=make_lead(), cycle=open_cycle) is None
