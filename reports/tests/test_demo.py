"""The local demo's published year: realistic shape, published, and safe to seed twice."""

import pytest

from reports.models import Level, Scorecard
from reports.selectors import current_set
from reports.services.demo import demo_results_ensure
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


def test_seeding_the_demo_again_changes_nothing(organisations):
    cycle = demo_results_ensure(year=2020)
    set_before = current_set(cycle=cycle)

    again = demo_results_ensure(year=2020)

    assert again.pk == cycle.pk
    assert Response.objects.filter(cycle=cycle).count() == Response.objects.filter(cycle=again).count()
    assert current_set(cycle=again) == set_before
