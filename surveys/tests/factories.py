import factory

from accounts.tests.factories import UserFactory
from surveys.models import Cycle, Invitation


class LeadFactory(UserFactory):
    """A CCG lead; pass ``ccg_code`` (default 01C) and ``lead_role``."""

    class Params:
        ccg_code = "01C"
        area_team_code = None

    role = "ccg_lead"
    lead_role = "clinical"


class CycleFactory(factory.django.DjangoModelFactory):
    """A bare cycle without a questionnaire; use ``cycle_create`` for one with questions."""

    class Meta:
        model = Cycle

    year = factory.Sequence(lambda n: 2013 + n)
    state = "draft"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    cycle = factory.SubFactory(CycleFactory)
    user = factory.SubFactory(LeadFactory)
    ccg = factory.LazyAttribute(lambda o: o.user.ccg)
    area_team = factory.LazyAttribute(lambda o: o.ccg.area_team if o.ccg else o.user.area_team)
    rater_group = factory.LazyAttribute(lambda o: o.user.lead_role)
