"""The invitations file with rater groups: partners and the self-assessment beside the CCG leads."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from surveys.models import Invitation
from surveys.services import (
    ImportFileError,
    cycle_set_rater_groups,
    invitations_import,
    reminders_send_due,
    response_get_or_create_draft,
    response_save_draft,
    response_submit,
)
from surveys.services import invitations as inv
from surveys.services.invitation_checks import invitation_file_lead_clashes
from surveys.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

HEADER = "email,name,rater_group,ccg_code,lead_role,area_team_code\n"
EVERY_GROUP = (
    HEADER + "chair@ccg01c.nhs.uk,Dr Ann Chair,clinical,01C,,\n"
    "officer@ccg01c.nhs.uk,Bob Officer,,01C,managerial,\n"
    "surgery@practice.nhs.uk,The Surgery,practice,01C,,\n"
    "healthwatch@example.org,Healthwatch,patients,,,Q44\n"
    "hwb@council.gov.uk,Health and wellbeing board,local_government,,,Q44\n"
    "director@england.nhs.uk,Area Director,self,,,Q44\n"
)


@pytest.fixture
def all_groups_cycle(draft_cycle):
    return cycle_set_rater_groups(
        actor=None,
        cycle=draft_cycle,
        partner_groups=["practice", "patients", "local_government"],
        self_assessment=True,
    )


def _counts():
    return User.objects.count(), Invitation.objects.count()


def _refused(cycle, content: str) -> list[str]:
    before = _counts()
    with pytest.raises(ImportFileError) as refused:
        invitations_import(cycle=cycle, raw=content.encode())
    assert _counts() == before
    return refused.value.problems


def test_every_group_is_invited_with_its_account_and_area_team(all_groups_cycle):
    result = invitations_import(cycle=all_groups_cycle, raw=EVERY_GROUP.encode())

    assert (result.rows, result.users_created, result.invitations_created) == (6, 6, 6)
    got = {
        i.user.email: (i.rater_group, i.ccg.ods_code if i.ccg else None, i.area_team.ods_code, i.user.role)
        for i in Invitation.objects.select_related("user", "ccg", "area_team")
    }
    assert got == {
        "chair@ccg01c.nhs.uk": ("clinical", "01C", "Q44", "ccg_lead"),
        "officer@ccg01c.nhs.uk": ("managerial", "01C", "Q44", "ccg_lead"),
        "surgery@practice.nhs.uk": ("practice", "01C", "Q44", "partner"),
        "healthwatch@example.org": ("patients", None, "Q44", "partner"),
        "hwb@council.gov.uk": ("local_government", None, "Q44", "partner"),
        "director@england.nhs.uk": ("self", None, "Q44", "area_team_member"),
    }
    practice = User.objects.get(email="surgery@practice.nhs.uk")
    assert (practice.ccg.ods_code, practice.area_team.ods_code, practice.lead_role) == ("01C", "Q44", "")
    director = User.objects.get(email="director@england.nhs.uk")
    assert (director.area_team.ods_code, director.ccg) == ("Q44", None)


def test_the_same_file_again_changes_nothing(all_groups_cycle):
    invitations_import(cycle=all_groups_cycle, raw=EVERY_GROUP.encode())
    before = _counts()

    again = invitations_import(cycle=all_groups_cycle, raw=EVERY_GROUP.encode())

    assert (again.users_created, again.invitations_created, again.invitations_unchanged) == (0, 0, 6)
    assert _counts() == before


def test_an_old_file_without_rater_group_still_means_ccg_leads(draft_cycle):
    old = "email,name,ccg_code,lead_role\nchair@ccg01c.nhs.uk,Dr Ann Chair,01C,clinical\n"

    invitations_import(cycle=draft_cycle, raw=old.encode())

    assert Invitation.objects.get().rater_group == "clinical"


def test_a_group_not_switched_on_is_refused_with_line_and_column(draft_cycle):
    problems = _refused(draft_cycle, EVERY_GROUP)

    assert problems == [
        inv.MSG_GROUP_OFF.format(line=4, column=3, year=2014, label="gp member practice", group="practice"),
        inv.MSG_GROUP_OFF.format(line=5, column=3, year=2014, label="patients' representative", group="patients"),
        inv.MSG_GROUP_OFF.format(line=6, column=3, year=2014, label="local government", group="local_government"),
        inv.MSG_GROUP_OFF.format(line=7, column=3, year=2014, label="area team self-assessment", group="self"),
    ]
    assert problems[0] == (
        'Line 4, column 3 ("rater_group"): the 2014 cycle does not ask gp member practice (practice). '
        "Switch the group on on the cycle's page first, or remove the line."
    )


BAD_ROWS = [
    (
        "unknown group",
        "a@x.org,A,boss,01C,,\n",
        inv.MSG_UNKNOWN_GROUP.format(line=2, column=3, group="boss"),
    ),
    (
        "practice without a CCG",
        "a@x.org,A,practice,,,Q44\n",
        inv.MSG_COLUMN_EMPTY.format(line=2, column=4, name="ccg_code", group="gp member practice"),
    ),
    (
        "practice in an unknown CCG",
        "a@x.org,A,practice,ZZZ,,\n",
        inv.MSG_UNKNOWN_CCG.format(line=2, code="ZZZ"),
    ),
    (
        "practice whose area team is not its CCG's",
        "a@x.org,A,practice,01C,,Q45\n",
        inv.MSG_AREA_TEAM_NOT_CCGS.format(line=2, column=6, ccg="01C", ccg_team="Q44", code="Q45"),
    ),
    (
        "patients without an area team",
        "a@x.org,A,patients,,,\n",
        inv.MSG_COLUMN_EMPTY.format(line=2, column=6, name="area_team_code", group="patients' representative"),
    ),
    (
        "patients with a CCG",
        "a@x.org,A,patients,01C,,Q44\n",
        inv.MSG_CCG_NOT_FOR_GROUP.format(line=2, column=4, label="patients' representative"),
    ),
    (
        "local government in an unknown area team",
        "a@x.org,A,local_government,,,QQQ\n",
        inv.MSG_UNKNOWN_AREA_TEAM.format(line=2, column=6, code="QQQ"),
    ),
    (
        "a partner with a lead role",
        "a@x.org,A,patients,,clinical,Q44\n",
        inv.MSG_ROLE_NOT_LEAD.format(line=2, column=5, label="patients' representative"),
    ),
    (
        "a lead whose two columns disagree",
        "a@x.org,A,clinical,01C,financial,\n",
        inv.MSG_ROLE_NOT_GROUP.format(line=2, column=5, role="financial", group="clinical"),
    ),
    (
        "no group and no lead role",
        "a@x.org,A,,01C,,\n",
        inv.MSG_EMPTY.format(line=2, column="rater_group"),
    ),
    (
        "an area team code too long for its column",
        "a@x.org,A,patients,,,Q444\n",
        'Line 2, column 6 ("area_team_code"): 4 characters; this column holds at most 3.',
    ),
    (
        "a rater group too long for its column",
        f"a@x.org,A,{'p' * 21},,,Q44\n",
        'Line 2, column 3 ("rater_group"): 21 characters; this column holds at most 20.',
    ),
]


@pytest.mark.parametrize(("case", "row", "problem"), BAD_ROWS, ids=[case[0] for case in BAD_ROWS])
def test_each_bad_row_is_refused_with_its_message_and_nothing_written(all_groups_cycle, case, row, problem):
    good = "chair@ccg01c.nhs.uk,Dr Ann Chair,clinical,01C,,\n"

    assert _refused(all_groups_cycle, HEADER + row + good) == [problem]


def test_a_self_assessment_names_a_member_of_that_area_team_only(all_groups_cycle, make_user):
    make_user(email="lead@ccg.nhs.uk", role="ccg_lead", ccg_code="01C", lead_role="clinical")
    make_user(email="other@england.nhs.uk", role="area_team_member", area_team_code="Q45")

    problems = _refused(
        all_groups_cycle,
        HEADER + "lead@ccg.nhs.uk,L,self,,,Q44\nother@england.nhs.uk,O,self,,,Q46\n",
    )

    assert problems == [
        inv.MSG_SELF_NOT_MEMBER.format(line=2, email="lead@ccg.nhs.uk"),
        inv.MSG_SELF_OTHER_TEAM.format(line=3, email="other@england.nhs.uk", other="Q45", code="Q46"),
    ]


def test_an_existing_member_of_the_area_team_is_named_without_a_new_account(all_groups_cycle, area_team_member):
    content = HEADER + f"{area_team_member.email},Member,self,,,Q44\n"

    result = invitations_import(cycle=all_groups_cycle, raw=content.encode())

    assert (result.users_created, result.invitations_created) == (0, 1)
    assert Invitation.objects.get().user == area_team_member


def test_an_area_team_has_one_self_assessment_a_cycle(all_groups_cycle):
    invitations_import(cycle=all_groups_cycle, raw=(HEADER + "one@england.nhs.uk,One,self,,,Q44\n").encode())

    problems = _refused(
        all_groups_cycle,
        HEADER + "two@england.nhs.uk,Two,self,,,Q44\nthree@england.nhs.uk,Three,self,,,Q45\n"
        "four@england.nhs.uk,Four,self,,,Q45\n",
    )

    assert problems == [
        inv.MSG_SECOND_SELF_INVITED.format(
            line=2, code="Q44", year=2014, email_invited="one@england.nhs.uk", email="two@england.nhs.uk"
        ),
        inv.MSG_SECOND_SELF_IN_FILE.format(
            line=4, code="Q45", email="four@england.nhs.uk", first_email="three@england.nhs.uk", first=3
        ),
    ]


def test_accounts_that_cannot_be_this_partner_are_refused(all_groups_cycle, make_user, lead):
    make_user(email="hw@example.org", role="partner", area_team_code="Q45")
    make_user(email="surgery@example.org", role="partner", ccg_code="02N", area_team_code="Q52")

    problems = _refused(
        all_groups_cycle,
        HEADER + f"{lead.email},L,patients,,,Q44\n"
        "hw@example.org,H,patients,,,Q44\n"
        "surgery@example.org,S,practice,01C,,\n",
    )

    assert problems == [
        inv.MSG_NOT_A_PARTNER.format(line=2, email=lead.email),
        inv.MSG_OTHER_PARTNER.format(line=3, email="hw@example.org", other="area team Q45", here="area team Q44"),
        inv.MSG_OTHER_PARTNER.format(line=4, email="surgery@example.org", other="CCG 02N", here="CCG 01C"),
    ]


def test_someone_invited_in_one_group_is_not_silently_counted_in_another(all_groups_cycle):
    invitations_import(cycle=all_groups_cycle, raw=(HEADER + "hw@example.org,H,patients,,,Q44\n").encode())

    problems = _refused(all_groups_cycle, HEADER + "hw@example.org,H,local_government,,,Q44\n")

    assert problems == [
        inv.MSG_INVITED_OTHER_GROUP.format(line=2, email="hw@example.org", year=2014, other="patients' representative")
    ]


def test_a_ccg_has_many_practices_but_one_lead_in_each_role(all_groups_cycle):
    raw = (
        HEADER + "a@practice.nhs.uk,A,practice,01C,,\n"
        "b@practice.nhs.uk,B,practice,01C,,\n"
        "chair@ccg01c.nhs.uk,C,clinical,01C,,\n"
        "chair2@ccg01c.nhs.uk,D,,01C,clinical,\n"
    ).encode()

    clashes = invitation_file_lead_clashes(cycle=all_groups_cycle, raw=raw)

    assert len(clashes) == 1
    assert clashes[0].startswith("Line 5: a second clinical lead for CCG 01C")


@pytest.fixture
def open_all_groups_cycle(open_cycle):
    return cycle_set_rater_groups(
        actor=None,
        cycle=open_cycle,
        partner_groups=["practice", "patients", "local_government"],
        self_assessment=True,
    )


def _bodies() -> dict[str, str]:
    return {message.to[0]: " ".join(message.body.split()) for message in mail.outbox}


def test_each_group_s_invitation_and_reminder_say_who_they_are_and_never_call_a_partner_a_lead(
    open_all_groups_cycle, django_capture_on_commit_callbacks, settings
):
    settings.SUPPRESSION_MIN_BASE_BY_GROUP = {"practice": 8}
    settings.REMINDER_MIN_DAYS = 7
    sent = dt.datetime(2014, 5, 2, 9, tzinfo=dt.UTC)
    with time_machine.travel(sent, tick=False), django_capture_on_commit_callbacks(execute=True):
        invitations_import(cycle=open_all_groups_cycle, raw=EVERY_GROUP.encode(), send=True)

    bodies = _bodies()
    assert "As the clinical lead of NHS Eastern Cheshire CCG, you are invited" in bodies["chair@ccg01c.nhs.uk"]
    assert "groups of at least 5 people" in bodies["chair@ccg01c.nhs.uk"]
    practice = bodies["surgery@practice.nhs.uk"]
    assert "As a GP member practice of NHS Eastern Cheshire CCG, you are invited" in practice
    assert "how its area team, Cheshire, Warrington and Wirral, works with you" in practice
    assert "groups of at least 8 people" in practice
    assert "As patients' representative for Cheshire, Warrington and Wirral" in bodies["healthwatch@example.org"]
    assert "As local government for Cheshire, Warrington and Wirral" in bodies["hwb@council.gov.uk"]
    own = bodies["director@england.nhs.uk"]
    assert "your area team's self-assessment" in own
    assert "Every member of the area team can open and edit the one self-assessment" in own
    assert "confidential" not in own
    partners = ("surgery@practice.nhs.uk", "healthwatch@example.org", "hwb@council.gov.uk", "director@england.nhs.uk")
    for email in partners:
        assert " lead" not in bodies[email]

    mail.outbox.clear()
    later = sent + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due() == 6
    reminders = _bodies()
    assert "We have not yet received your appraisal" in reminders["healthwatch@example.org"]
    assert "As patients' representative for Cheshire, Warrington and Wirral" in reminders["healthwatch@example.org"]
    assert " lead" not in reminders["healthwatch@example.org"]


def test_a_partner_s_receipt_says_as_whom_they_answered(
    open_all_groups_cycle, django_capture_on_commit_callbacks, make_user
):
    partner = make_user(role="partner", area_team_code="Q44", email="hw@example.org")
    invitation = InvitationFactory(
        cycle=open_all_groups_cycle, user=partner, ccg=None, area_team=partner.area_team, rater_group="patients"
    )
    draft = response_get_or_create_draft(invitation=invitation)
    response_save_draft(response=draft, answers={"CP-SHARED-GOALS": 4})

    with django_capture_on_commit_callbacks(execute=True):
        response_submit(response=draft)

    body = _bodies()["hw@example.org"]
    assert "which you gave as patients' representative for Cheshire, Warrington and Wirral, on" in body
    assert " lead" not in body
