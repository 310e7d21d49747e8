"""The fieldwork workspace: every invitation's status, filters, the chase card, reminders to the people chosen.

Seven leads of an open 2014 cycle, in Q44 (Cheshire, Warrington and Wirral) and Q45 (Durham, Darlington
and Tees): one never sent, two sent ten days ago (one opened), one contacted two days ago, one started, one
with every reminder, one submitted.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import Conflict, DomainError
from core.models import AuditEvent
from surveys.fieldwork import selectors
from surveys.fieldwork.chart import responses_chart
from surveys.models import Cycle, CycleState, Invitation
from surveys.services import (
    cycle_create,
    cycle_set_state,
    reminders_preview,
    reminders_send_chosen,
    response_get_or_create_draft,
)
from surveys.services.fieldwork import (
    MSG_REMIND_NONE_CHOSEN,
    MSG_REMIND_NONE_DUE,
    MSG_REMIND_NOT_OPEN,
    WHY_NOT_SENT,
    WHY_RECENT,
    WHY_SUBMITTED,
)
from surveys.tests.factories import InvitationFactory, LeadFactory

pytestmark = pytest.mark.django_db

DAYS = dt.timedelta(days=1)


@pytest.fixture
def cycle(organisations):
    return cycle_set_state(cycle=cycle_create(year=2014), state=CycleState.OPEN)


@pytest.fixture
def leads(cycle):
    """Return the seven invitations by name (see the module's docstring)."""
    now = timezone.now()

    def invite(name, ccg_code, rater_group="clinical", **fields):
        user = LeadFactory(ccg_code=ccg_code, lead_role=rater_group, full_name=name, email=f"{name}@example.nhs.uk")
        return InvitationFactory(cycle=cycle, user=user, **fields)

    made = {
        "unsent": invite("unsent", "01C"),
        "sent": invite("sent", "01R", sent_at=now - 10 * DAYS),
        "opened": invite("opened", "02D", sent_at=now - 10 * DAYS, opened_at=now - 9 * DAYS),
        "recent": invite("recent", "01C", "managerial", sent_at=now - 2 * DAYS),
        "started": invite("started", "00C", sent_at=now - 10 * DAYS, opened_at=now - 9 * DAYS),
        "exhausted": invite("exhausted", "00D", sent_at=now - 30 * DAYS, reminder_count=3),
        "submitted": invite("submitted", "00C", "financial", sent_at=now - 10 * DAYS, submitted_at=now - DAYS),
    }
    response_get_or_create_draft(invitation=made["started"])
    return made


def ids(*invitations) -> list[int]:
    return [i.pk for i in invitations]


def test_each_invitation_has_its_status(cycle, leads):
    statuses = {i.user.full_name: i.status for i in selectors.invitations_with_status(cycle=cycle)}

    assert statuses == {
        "unsent": "not_sent",
        "sent": "sent",
        "opened": "opened",
        "recent": "sent",
        "started": "started",
        "exhausted": "sent",
        "submitted": "submitted",
    }
    assert selectors.fieldwork_status_counts(cycle=cycle) == {
        "not_sent": 1,
        "sent": 3,
        "bounced": 0,
        "opened": 1,
        "started": 1,
        "submitted": 1,
    }


def test_filters_by_area_team_region_ccg_rater_group_and_status(cycle, leads):
    from organisations.models import CCG, AreaTeam, Region

    def names(**filters):
        return {i.user.full_name for i in selectors.fieldwork_invitations(cycle=cycle, **filters)}

    q44 = AreaTeam.objects.get(ods_code="Q44")
    assert names(area_team=q44, status=selectors.NOT_RESPONDED) == {"unsent", "sent", "opened", "recent"}
    assert names(region=Region.objects.get(ods_code="Y54")) == set(leads)
    assert names(ccg=CCG.objects.get(ods_code="00C")) == {"started", "submitted"}
    assert names(rater_group="managerial") == {"recent"}
    assert names(status="opened") == {"opened"}
    assert names(status=selectors.NOT_RESPONDED) == set(leads) - {"submitted"}


def test_the_chase_card_counts_each_non_responder_once_by_why(cycle, leads):
    assert selectors.chase_summary(cycle=cycle) == {
        "not_sent": 1,
        "sending": 0,
        "exhausted": 1,
        "due": 3,  # sent, opened, started
        "recent": 1,
        "waiting": 6,
    }


def test_with_invitations_imported_but_never_sent_the_card_says_so_not_that_they_were_contacted(client, analyst, cycle):
    for n in range(3):
        InvitationFactory(cycle=cycle, user=LeadFactory(ccg_code="01C", email=f"new{n}@example.nhs.uk"))
    client.force_login(analyst)

    page = client.get("/results/2014/fieldwork/").text

    assert "3 have not been sent the invitation yet" in page
    assert "contacted recently" not in page and "contacted in the last" not in page
    assert "Send 3 invitations" in page


def test_the_preview_counts_who_would_be_reminded_and_why_the_others_would_not(cycle, leads):
    chosen = ids(leads["sent"], leads["opened"], leads["recent"], leads["unsent"], leads["submitted"])

    preview = reminders_preview(cycle=cycle, invitation_ids=chosen)

    assert preview.due_ids == ids(leads["sent"], leads["opened"])
    assert preview.not_due == {WHY_RECENT.format(days=7): 1, WHY_NOT_SENT: 1, WHY_SUBMITTED: 1}
    assert Invitation.objects.filter(reminder_count__gt=0).count() == 1  # only "exhausted": nothing written


def test_reminding_the_chosen_sends_only_to_those_due_counts_and_audits(
    cycle, leads, analyst, django_capture_on_commit_callbacks
):
    chosen = ids(leads["sent"], leads["opened"], leads["recent"])

    with django_capture_on_commit_callbacks(execute=True):
        count = reminders_send_chosen(cycle=cycle, invitation_ids=chosen, actor=analyst)

    assert count == 2
    counts = dict(Invitation.objects.filter(pk__in=chosen).values_list("user__full_name", "reminder_count"))
    assert counts == {"sent": 1, "opened": 1, "recent": 0}
    assert sorted(m.to[0] for m in mail.outbox) == ["opened@example.nhs.uk", "sent@example.nhs.uk"]
    event = AuditEvent.objects.get(action="reminders_sent")
    assert event.detail == {"count": 2, "chosen": 3}


def test_reminding_again_at_once_is_refused_and_writes_nothing(cycle, leads, analyst):
    chosen = ids(leads["sent"])
    reminders_send_chosen(cycle=cycle, invitation_ids=chosen, actor=analyst)

    with pytest.raises(Conflict) as refused:
        reminders_send_chosen(cycle=cycle, invitation_ids=chosen, actor=analyst)

    assert refused.value.message == MSG_REMIND_NONE_DUE
    assert Invitation.objects.get(pk=leads["sent"].pk).reminder_count == 1
    assert AuditEvent.objects.filter(action="reminders_sent").count() == 1


def test_no_choice_or_a_closed_cycle_is_refused(cycle, leads, analyst):
    with pytest.raises(DomainError) as none:
        reminders_send_chosen(cycle=cycle, invitation_ids=[], actor=analyst)
    assert none.value.message == MSG_REMIND_NONE_CHOSEN

    closed = cycle_set_state(cycle=cycle, state=CycleState.CLOSED)
    with pytest.raises(Conflict) as not_open:
        reminders_preview(cycle=closed, invitation_ids=ids(leads["sent"]))
    assert not_open.value.message == MSG_REMIND_NOT_OPEN.format(year=2014)
    assert Invitation.objects.filter(reminder_count__gt=0).count() == 1


def test_another_cycles_invitations_are_ignored(cycle, leads, analyst):
    other = Cycle.objects.create(year=2013, state=CycleState.CLOSED)
    stranger = InvitationFactory(cycle=other, sent_at=timezone.now() - 10 * DAYS)

    preview = reminders_preview(cycle=cycle, invitation_ids=ids(stranger, leads["sent"]))

    assert preview.due_ids == ids(leads["sent"])
    assert preview.not_due == {}


def test_responses_over_time_and_its_chart(cycle, leads):
    now = timezone.now()
    Invitation.objects.filter(pk=leads["sent"].pk).update(submitted_at=now - 3 * DAYS)

    days = selectors.responses_over_time(cycle=cycle)
    assert [(d["submitted"], d["cumulative"]) for d in days] == [(1, 1), (1, 2)]

    chart = responses_chart(days, invited=7)
    assert chart["total"] == 2 and chart["invited"] == 7
    assert len(chart["points"].split()) == 3  # the start at zero, then one point per day
    assert responses_chart([], invited=7) is None


def test_the_page_lists_filters_and_paginates(client, analyst, cycle, leads):
    client.force_login(analyst)

    page = client.get("/results/2014/fieldwork/?area_team=Q44&status=not_responded").text

    listed = set(re.findall(r'data-testid="invitation-(\d+)"', page))
    assert listed == {str(i) for i in ids(leads["unsent"], leads["sent"], leads["opened"], leads["recent"])}
    assert 'data-testid="responses-chart"' in page
    assert "Not sent: 1 · Sent: 3 · Bounced: 0 · Opened: 1 · Started: 1 · Submitted: 1" in page


def test_the_page_asks_before_reminding_with_the_count_then_sends(client, analyst, cycle, leads):
    client.force_login(analyst)
    chosen = [str(i) for i in ids(leads["sent"], leads["recent"])]

    confirm = client.post("/results/2014/fieldwork/remind/", {"invitation": chosen, "query": "area_team=Q44"})
    assert confirm.status_code == 200
    assert "Send 1 reminder?" in confirm.text
    assert "1 of the 2 people chosen" in confirm.text
    assert Invitation.objects.get(pk=leads["sent"].pk).reminder_count == 0

    sent = client.post(
        "/results/2014/fieldwork/remind/",
        {"invitation": [str(leads["sent"].pk)], "confirm": "yes", "query": "area_team=Q44"},
    )
    assert sent.status_code == 302
    assert sent["Location"] == "/results/2014/fieldwork/?area_team=Q44#invitations"
    assert Invitation.objects.get(pk=leads["sent"].pk).reminder_count == 1


def test_send_invitations_queues_the_unsent(client, admin_user, cycle, leads, django_capture_on_commit_callbacks):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/results/2014/fieldwork/send-invitations/", follow=True)

    assert "1 invitation email is being sent." in response.text
    assert Invitation.objects.get(pk=leads["unsent"].pk).sent_at is not None


def test_non_responders_csv_lists_only_those_not_submitted_and_is_audited(client, analyst, cycle, leads):
    client.force_login(analyst)

    response = client.get("/results/2014/fieldwork/non-responders.csv?area_team=Q45")

    lines = response.content.decode().splitlines()
    assert lines[0].startswith("name,email,ccg_code")
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["exhausted", "started"]
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="non_responders_downloaded").count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/results/2014/fieldwork/remind/",
        "/results/2014/fieldwork/send-invitations/",
    ],
)
def test_leads_and_area_teams_cannot_remind_or_send(client, lead, area_team_member, cycle, leads, path):
    for user in (lead, area_team_member):
        client.force_login(user)
        assert client.post(path, {"invitation": [str(leads["sent"].pk)], "confirm": "yes"}).status_code == 403
    assert Invitation.objects.get(pk=leads["sent"].pk).reminder_count == 0
    assert Invitation.objects.get(pk=leads["unsent"].pk).sent_at is None
