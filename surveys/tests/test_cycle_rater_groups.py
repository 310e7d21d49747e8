"""An admin switches partner groups and the self-assessment on for a cycle; the cycle page shows the thresholds."""

import pytest

from core.errors import Conflict, DomainError
from core.models import AuditEvent
from surveys.groups import cycle_rater_groups
from surveys.models import Cycle, CycleState
from surveys.services import cycle_set_rater_groups, cycle_set_state
from surveys.services import cycles as cycles_service
from surveys.tests.pages import YEAR, text

pytestmark = pytest.mark.django_db

PAGE = f"/manage/cycles/{YEAR}/rater-groups/"


def test_a_new_cycle_asks_ccg_leads_only(draft_cycle):
    assert cycle_rater_groups(draft_cycle) == ("clinical", "managerial", "financial")


def test_switching_groups_on_in_a_draft_is_kept_in_list_order_and_audited(draft_cycle, admin_user):
    cycle = cycle_set_rater_groups(
        actor=admin_user, cycle=draft_cycle, partner_groups=["local_government", "practice"], self_assessment=True
    )

    assert cycle.partner_groups == ["practice", "local_government"]
    assert cycle_rater_groups(Cycle.objects.get(pk=cycle.pk)) == (
        "clinical",
        "managerial",
        "financial",
        "practice",
        "local_government",
        "self",
    )
    event = AuditEvent.objects.get(action="cycle_rater_groups_changed")
    assert event.actor == admin_user
    assert event.detail == {
        "before": {"partner_groups": [], "self_assessment": False},
        "after": {"partner_groups": ["practice", "local_government"], "self_assessment": True},
    }


def test_saving_the_same_groups_again_changes_and_audits_nothing(draft_cycle, admin_user):
    for _ in range(2):
        cycle_set_rater_groups(actor=admin_user, cycle=draft_cycle, partner_groups=["patients"], self_assessment=False)

    assert AuditEvent.objects.filter(action="cycle_rater_groups_changed").count() == 1


def test_an_unknown_group_is_refused(draft_cycle, admin_user):
    with pytest.raises(DomainError) as refused:
        cycle_set_rater_groups(actor=admin_user, cycle=draft_cycle, partner_groups=["clinical"], self_assessment=False)

    assert refused.value.message == cycles_service.MSG_GROUP_UNKNOWN.format(group="clinical")


def test_an_open_cycle_may_switch_a_group_on(open_cycle, admin_user):
    cycle = cycle_set_rater_groups(
        actor=admin_user, cycle=open_cycle, partner_groups=["patients"], self_assessment=True
    )

    assert (cycle.partner_groups, cycle.self_assessment) == (["patients"], True)


def test_a_group_with_anyone_invited_cannot_be_switched_off(open_cycle, admin_user, make_invitation, make_user):
    cycle_set_rater_groups(actor=admin_user, cycle=open_cycle, partner_groups=["patients"], self_assessment=False)
    partner = make_user(role="partner", area_team_code="Q44")
    make_invitation(user=partner, ccg=None, area_team=partner.area_team, rater_group="patients")

    with pytest.raises(Conflict) as refused:
        cycle_set_rater_groups(actor=admin_user, cycle=open_cycle, partner_groups=[], self_assessment=False)

    assert refused.value.message == cycles_service.MSG_GROUP_IN_USE.format(
        label="Patients' representative", count=1, people="person is", year=YEAR
    )
    assert Cycle.objects.get(pk=open_cycle.pk).partner_groups == ["patients"]


def test_an_unused_group_can_be_switched_off_again(draft_cycle, admin_user):
    cycle_set_rater_groups(actor=admin_user, cycle=draft_cycle, partner_groups=["practice"], self_assessment=True)
    cycle = cycle_set_rater_groups(actor=admin_user, cycle=draft_cycle, partner_groups=[], self_assessment=False)

    assert (cycle.partner_groups, cycle.self_assessment) == ([], False)


def test_a_closed_cycle_s_groups_are_fixed(open_cycle, admin_user):
    cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)

    with pytest.raises(Conflict) as refused:
        cycle_set_rater_groups(actor=admin_user, cycle=open_cycle, partner_groups=["practice"], self_assessment=False)

    assert refused.value.message == cycles_service.MSG_GROUPS_FIXED.format(year=YEAR, state="closed")


def test_the_cycle_page_shows_each_group_and_its_threshold(client, admin_user, draft_cycle, settings):
    settings.SUPPRESSION_MIN_BASE = 5
    settings.SUPPRESSION_MIN_BASE_BY_GROUP = {"practice": 8}
    cycle_set_rater_groups(actor=admin_user, cycle=draft_cycle, partner_groups=["practice"], self_assessment=False)
    client.force_login(admin_user)

    page = client.get(f"/manage/cycles/{YEAR}/")

    html = page.content.decode()
    assert 'data-testid="change-rater-groups"' in html
    assert 'data-testid="threshold-practice">8 responses<' in html
    assert 'data-testid="threshold-patients">5 responses<' in html
    assert 'data-testid="threshold-clinical">5 responses<' in html
    assert "Never hidden (the area team's own view)" in text(page)
    assert "GP member practice Yes" in text(page)
    assert "Patients' representative No" in text(page)


def test_an_admin_switches_groups_on_from_the_page(client, admin_user, draft_cycle):
    client.force_login(admin_user)
    assert client.get(PAGE).status_code == 200

    response = client.post(PAGE, {"partner_groups": ["practice", "patients"], "self_assessment": "on"})

    assert response.status_code == 302
    cycle = Cycle.objects.get(pk=draft_cycle.pk)
    assert (cycle.partner_groups, cycle.self_assessment) == (["practice", "patients"], True)
    page = client.get(PAGE).content.decode()
    assert 'value="practice" checked' in page
    assert 'id="self_assessment" name="self_assessment" type="checkbox" value="on" checked' in page


def test_the_page_says_why_a_group_cannot_be_switched_off(client, admin_user, open_cycle, make_invitation, make_user):
    cycle_set_rater_groups(actor=admin_user, cycle=open_cycle, partner_groups=[], self_assessment=True)
    member = make_user(role="area_team_member", area_team_code="Q44")
    make_invitation(user=member, ccg=None, area_team=member.area_team, rater_group="self")
    client.force_login(admin_user)

    response = client.post(PAGE, {"partner_groups": []})

    assert response.status_code == 409
    assert "Area team self-assessment cannot be switched off: 1 person is already invited" in text(response)
    assert Cycle.objects.get(pk=open_cycle.pk).self_assessment is True


def test_an_analyst_cannot_change_the_groups(client, analyst, draft_cycle):
    client.force_login(analyst)

    assert client.post(PAGE, {"partner_groups": ["practice"]}).status_code == 403
    assert Cycle.objects.get(pk=draft_cycle.pk).partner_groups == []
