"""The fieldwork workspace in Chromium: an analyst filters to one area team's non-responders, reminds two,
and sees their reminder counts change."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.browser import BrowserProblems, axe_violations, sign_in
from surveys.models import CycleState, Invitation
from surveys.services import cycle_create, cycle_set_state
from surveys.tests.factories import InvitationFactory, LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invitations(organisations):
    cycle = cycle_set_state(cycle=cycle_create(year=2014), state=CycleState.OPEN)
    sent = timezone.now() - dt.timedelta(days=10)
    made = {}
    for name, ccg, role, extra in [
        ("Ada Clinical", "01C", "clinical", {}),
        ("Ben Managerial", "01R", "managerial", {}),
        ("Cy Financial", "02D", "financial", {"submitted_at": timezone.now()}),
        ("Dee Durham", "00C", "clinical", {}),
    ]:
        user = LeadFactory(ccg_code=ccg, lead_role=role, full_name=name, email=f"{name.split()[0].lower()}@ex.nhs.uk")
        made[name] = InvitationFactory(cycle=cycle, user=user, sent_at=sent, **extra)
    return made


def test_an_analyst_reminds_two_non_responders_of_one_area_team(page, live_server, analyst, invitations):
    problems = BrowserProblems(page)
    sign_in(page, live_server.url, email=analyst.email, password=TEST_PASSWORD)

    page.goto(f"{live_server.url}/results/2014/fieldwork/")
    assert axe_violations(page) == []
    page.get_by_label("Area team", exact=True).select_option(label="Cheshire, Warrington and Wirral (Q44)")
    page.get_by_label("Status", exact=True).select_option(label="Not responded (any but submitted)")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()

    rows = page.get_by_test_id("invitations").locator("tbody tr")
    expect(rows).to_have_count(2)  # Cy submitted; Dee is in another area team
    ada, ben = invitations["Ada Clinical"], invitations["Ben Managerial"]
    expect(page.get_by_test_id(f"reminders-{ada.pk}")).to_have_text("0")
    page.get_by_label("Choose Ada Clinical").check()
    page.get_by_label("Choose Ben Managerial").check()
    with page.expect_navigation():
        page.get_by_test_id("remind-chosen").click()

    expect(page.get_by_test_id("confirm-heading")).to_have_text("Send 2 reminders?")
    expect(page.get_by_test_id("remind-count")).to_contain_text("2 of the 2 people chosen")
    assert axe_violations(page) == []
    assert Invitation.objects.filter(reminder_count__gt=0).count() == 0
    with page.expect_navigation():
        page.get_by_test_id("confirm-remind").click()

    expect(page.locator(".nhsuk-card, [role=alert], .app-message, main").first).to_contain_text(
        "2 reminder emails are being sent"
    )
    expect(page.get_by_test_id(f"reminders-{ada.pk}")).to_have_text("1")
    expect(page.get_by_test_id(f"reminders-{ben.pk}")).to_have_text("1")
    expect(page.get_by_test_id("invitations").locator("tbody tr")).to_have_count(2)  # still filtered
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@ex.nhs.uk", "ben@ex.nhs.uk"]
    assert Invitation.objects.get(pk=invitations["Dee Durham"].pk).reminder_count == 0
    assert problems.errors() == []
