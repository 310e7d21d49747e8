"""Fixtures of the surveys tests: cycles with the default questionnaire, invited leads, sent links."""

import datetime as dt
import re

import pytest
from django.core import mail

from surveys.models import CycleState
from surveys.services import cycle_create, cycle_set_state
from surveys.tests.factories import InvitationFactory, LeadFactory

LINK = re.compile(r"https?://\S+/invitations/([A-Za-z0-9_\-]+)/")


@pytest.fixture
def draft_cycle(organisations):
    return cycle_create(year=2014, opens_on=dt.date(2014, 5, 1), closes_on=dt.date(2014, 6, 30))


@pytest.fixture
def open_cycle(draft_cycle):
    return cycle_set_state(cycle=draft_cycle, state=CycleState.OPEN)


@pytest.fixture
def make_lead(organisations):
    return LeadFactory


@pytest.fixture
def invitation(open_cycle, lead):
    return InvitationFactory(cycle=open_cycle, user=lead)


@pytest.fixture
def make_invitation(open_cycle, make_lead):
    def make(**kwargs):
        kwargs.setdefault("cycle", open_cycle)
        kwargs.setdefault("user", make_lead())
        return InvitationFactory(**kwargs)

    return make


@pytest.fixture
def earlier_and_draft(organisations):
    """The 2013 cycle asked (opened and closed), and the 2014 draft copied from it."""
    earlier = cycle_create(year=2013, opens_on=dt.date(2013, 5, 1), closes_on=dt.date(2013, 6, 30))
    cycle_set_state(cycle=earlier, state=CycleState.OPEN)
    cycle_set_state(cycle=earlier, state=CycleState.CLOSED)
    draft = cycle_create(year=2014, opens_on=dt.date(2014, 5, 1), closes_on=dt.date(2014, 6, 30))
    return earlier, draft


@pytest.fixture
def signed_in_lead(client, invitation, lead):
    client.force_login(lead)
    return client


def tokens_in_outbox() -> list[str]:
    """Return the invitation tokens in the emails sent so far, in order."""
    return [match for message in mail.outbox for match in LINK.findall(message.body)]
