"""The local demo's published year: realistic shape, published, and safe to seed twice."""

import pytest

from comments.models import CommentModeration, CommentStatus
from demo.services import DEMO_NAMED_COMMENTS, demo_results_ensure
from scorecards.models import Level, Scorecard
from scorecards.selectors import current_set
from surveys.models import CycleState, Invitation, Response

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_the_demo_year_is_published_with_2013_shaped_figures(organisations):
    cycle = demo_results_ensure(year=2020)

    assert cycle.state == CycleState.PUBLISHED
    invited = Invitation.objects.filter(cycle=cycle).count()
    responded = Response.objects.filter(cycle=cycle).count()
    assert 500 <= invited <= 633
    assert 0.3 < responded / invited < 0.65
    rows = Scorecard.objects.filter(scorecard_set=current_set(cycle=cycle))
    england = rows.get(level=Level.ENGLAND, code="AT-EFFECTIVE", lead_role="")
    assert england.base + england.dont_know <= responded  # blanks are in neither
    assert england.base > 0.8 * responded
    assert 50 < england.pct_positive < 80  # 64% agreed in 2013
    assert rows.filter(suppressed=True).exists()
    own = rows.get(level=Level.AREA_TEAM, org_code="Q44", code="OVERALL", lead_role="")
    assert not own.suppressed
    # Comments wait in the moderation queue, some naming a (made-up) person to redact
    comments = CommentModeration.objects.filter(cycle=cycle)
    assert comments.count() > 50
    assert set(comments.values_list("status", flat=True)) == {CommentStatus.PENDING}
    assert comments.filter(answer__text__in=DEMO_NAMED_COMMENTS, area_team__ods_code="Q44").exists()


def test_seeding_the_demo_again_changes_nothing(organisations):
    cycle = demo_results_ensure(year=2020)
    set_before = current_set(cycle=cycle)

    again = demo_results_ensure(year=2020)

    assert again.pk == cycle.pk
    assert Response.objects.filter(cycle=cycle).count() == Response.objects.filter(cycle=again).count()
    assert current_set(cycle=again) == set_before


def test_seed_demo_publishes_last_year_and_opens_this_year_for_the_demo_lead_and_is_idempotent(organisations):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from surveys.models import Cycle

    year = timezone.localdate().year
    out = StringIO()
    call_command("seed_demo", stdout=out)
    state = list(Cycle.objects.order_by("year").values_list("year", "state")), Response.objects.count()

    call_command("seed_demo", stdout=out)

    assert state[0] == [(year - 1, "published"), (year, "open")]
    assert (list(Cycle.objects.order_by("year").values_list("year", "state")), Response.objects.count()) == state
    assert Invitation.objects.filter(cycle__year=year, user__email="lead@example.nhs.uk").exists()
    assert f"The {year} appraisal is open" in out.getvalue()
