"""The local demo's published year: realistic shape, published, and safe to seed twice."""

import pytest

from comments.models import CommentModeration, CommentStatus
from demo.services import NAMED_PARTS, demo_results_ensure
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
    england = rows.get(level=Level.ENGLAND, code="AT-EFFECTIVE", rater_group="")
    assert england.base + england.dont_know <= responded  # blanks are in neither
    assert england.base > 0.8 * responded
    assert 50 < england.pct_positive < 80  # 64% agreed in 2013
    assert rows.filter(suppressed=True).exists()
    own = rows.get(level=Level.AREA_TEAM, org_code="Q44", code="OVERALL", rater_group="")
    assert not own.suppressed
    # Comments wait in the moderation queue, some naming a (made-up) person to redact
    comments = CommentModeration.objects.filter(cycle=cycle)
    assert comments.count() > 50
    assert set(comments.values_list("status", flat=True)) == {CommentStatus.PENDING}
    texts = list(comments.values_list("answer__text", flat=True))
    assert any(name in text for text in texts for name in NAMED_PARTS)


def test_seeding_the_demo_again_changes_nothing(organisations):
    cycle = demo_results_ensure(year=2020)
    set_before = current_set(cycle=cycle)

    again = demo_results_ensure(year=2020)

    assert again.pk == cycle.pk
    assert Response.objects.filter(cycle=cycle).count() == Response.objects.filter(cycle=again).count()
    assert current_set(cycle=again) == set_before


def test_seed_demo_publishes_2013_and_opens_2014_with_every_lead_invited_and_is_idempotent(organisations):
    from io import StringIO

    from django.core.management import call_command

    from surveys.models import Cycle

    out = StringIO()
    call_command("seed_demo", stdout=out)
    state = list(Cycle.objects.order_by("year").values_list("year", "state")), Response.objects.count()

    call_command("seed_demo", stdout=out)

    assert state[0] == [(2013, "published"), (2014, "open")]
    assert (list(Cycle.objects.order_by("year").values_list("year", "state")), Response.objects.count()) == state
    open_year = Invitation.objects.filter(cycle__year=2014)
    assert open_year.count() == 211 * 3  # every CCG's three leads
    assert open_year.filter(user__email="lead@example.nhs.uk", ccg__ods_code="01C", rater_group="clinical").exists()
    submitted = open_year.filter(submitted_at__isnull=False).count()
    started = Response.objects.filter(cycle__year=2014, status="draft").count()
    assert 0.2 < submitted / 633 < 0.4 and 0.05 < started / 633 < 0.2
    assert open_year.filter(submitted_at__isnull=True, reminder_count=1).exists()
    assert "The 2014 appraisal is open: 633 leads invited" in out.getvalue()


def test_the_published_year_has_2013s_national_marginals_and_real_differences_between_area_teams(organisations):
    cycle = demo_results_ensure(year=2013)
    rows = Scorecard.objects.filter(scorecard_set=current_set(cycle=cycle), rater_group="")

    national = {r.code: r for r in rows.filter(level=Level.ENGLAND)}
    for code, agreed, disagreed in [("AT-EFFECTIVE", 64, 21), ("PC-EFFECTIVE", 19, 55), ("PC-VISION", 31, 43)]:
        assert abs(national[code].pct_positive - agreed) < 8, code
        assert abs(national[code].pct_negative - disagreed) < 10, code
    assert abs(national["SUPPORT"].pct_positive - 33) < 8
    teams = [r.score for r in rows.filter(level=Level.AREA_TEAM, code="OVERALL", suppressed=False)]
    assert max(teams) - min(teams) > 1.0  # a league table with something to show


def test_comments_are_distinct_and_about_their_section(organisations):
    cycle = demo_results_ensure(year=2013)
    texts = list(CommentModeration.objects.filter(cycle=cycle).values_list("answer__text", "question__section__code"))

    assert len({t for t, _ in texts}) == len(texts)
    commissioning = [t for t, section in texts if section == "COMMISSIONING"]
    assert commissioning and all("ommissioning" in t for t in commissioning)
