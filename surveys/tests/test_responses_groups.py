"""A contractor's file with a rater_group column: each line must be its invitation's group."""

import pytest

from surveys.models import Answer, Invitation, Response
from surveys.services import ImportFileError, responses_import
from surveys.services.responses import imports

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(open_cycle, make_invitation, make_lead, make_user):
    partner = make_user(email="hw@example.org", role="partner", area_team_code="Q44")
    return {
        "lead": make_invitation(user=make_lead(email="a@x.nhs.uk")),
        "partner": make_invitation(user=partner, ccg=None, area_team=partner.area_team, rater_group="patients"),
    }


def _state():
    submitted = Invitation.objects.filter(submitted_at__isnull=False).count()
    return Response.objects.count(), Answer.objects.count(), submitted


def test_lines_whose_group_is_their_invitation_s_load(invited, open_cycle):
    raw = b"email,rater_group,SUPPORT\na@x.nhs.uk,clinical,5\nhw@example.org,Patients,4\n"

    result = responses_import(cycle=open_cycle, raw=raw)

    assert result.responses == 2
    assert dict(Response.objects.values_list("invitation__user__email", "rater_group")) == {
        "a@x.nhs.uk": "clinical",
        "hw@example.org": "patients",
    }


def test_a_leads_file_cannot_load_a_partner_s_answers(invited, open_cycle):
    raw = b"email,SUPPORT,rater_group\na@x.nhs.uk,5,clinical\nhw@example.org,4,clinical\n"
    before = _state()

    with pytest.raises(ImportFileError) as refused:
        responses_import(cycle=open_cycle, raw=raw)

    assert refused.value.problems == [
        imports.MSG_GROUP_MISMATCH.format(
            line=3,
            column=3,
            email="hw@example.org",
            year=2014,
            invited="patients' representative",
            invited_code="patients",
            given="clinical",
        )
    ]
    assert refused.value.problems[0].startswith(
        'Line 3, column 3 ("rater_group"): hw@example.org is invited to the 2014 cycle as patients\' representative'
    )
    assert _state() == before


def test_an_empty_group_is_refused_where_the_column_is_given(invited, open_cycle):
    with pytest.raises(ImportFileError) as refused:
        responses_import(cycle=open_cycle, raw=b"email,rater_group,SUPPORT\na@x.nhs.uk,,5\n")

    assert refused.value.problems == [imports.MSG_GROUP_EMPTY.format(line=2, column=2)]


def test_an_old_file_without_the_column_loads_as_today(invited, open_cycle):
    result = responses_import(cycle=open_cycle, raw=b"email,SUPPORT\na@x.nhs.uk,5\nhw@example.org,4\n")

    assert result.responses == 2
