"""While a cycle is open nobody sees its figures: pages, API and exports say when results appear.

Figures republished after each submission named the respondent (compare before and after); so an open
cycle's results are refused to everyone, with the date they will appear, and built when fieldwork closes.
Comments submitted during fieldwork are in no list until the cycle closes.
"""

import datetime as dt

import pytest

from comments.models import CommentModeration
from core.errors import PermissionDenied
from exports.models import ExportFormat, ReportExport
from exports.services import export_request
from scorecards.models import ScorecardSet
from scorecards.tests.factories import (
    QUESTIONS_2014,
    RESPONSES_2014,
    import_responses,
    make_cycle,
    recompute_and_publish,
)
from surveys.models import Cycle, CycleState
from surveys.services import cycle_set_state

pytestmark = pytest.mark.django_db

MESSAGE = "results appear when the cycle closes on 31 January 2015"


@pytest.fixture
def open_cycle(organisations, django_capture_on_commit_callbacks):
    """2014 in fieldwork (closing 31 January 2015), with 29 responses and one comment, published earlier
    and then reopened (so a set built before exists, and must stay unseen too)."""
    cycle = make_cycle(2014, CycleState.OPEN, QUESTIONS_2014)
    Cycle.objects.filter(pk=cycle.pk).update(closes_on=dt.date(2015, 1, 31))
    rows = [(ccg, role, {**answers}) for ccg, role, answers in RESPONSES_2014]
    q46 = next(row for row in rows if row[0] == "00T")  # Q46 has 15 responses: enough for comments
    q46[2]["T-COMMENT"] = "The area team never returns our calls."
    with django_capture_on_commit_callbacks(execute=True):
        import_responses(cycle, rows)
    recompute_and_publish(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.OPEN)
    cycle.refresh_from_db()
    return cycle


PAGES = ["/results/2014/league-table/", "/results/2014/england/", "/results/2014/area-team/Q46/"]


@pytest.mark.parametrize("role", ["analyst", "admin_user", "area_team_member", "lead"])
def test_every_role_is_told_when_results_appear_on_every_results_page(open_cycle, client, request, role):
    client.force_login(request.getfixturevalue(role))
    for url in PAGES:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 403, url
        assert "Results appear when the appraisal closes" in page  # the page's heading, not a bare 403
        assert MESSAGE in page, url


@pytest.mark.parametrize("role", ["analyst", "area_team_member", "lead"])
def test_the_api_refuses_an_open_cycles_figures_with_the_same_message(open_cycle, client, request, role):
    client.force_login(request.getfixturevalue(role))
    for url in (
        "/api/v1/cycles/2014/scorecards/?level=area_team&code=Q46",
        "/api/v1/cycles/2014/league-table/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        error = response.json()["error"]
        assert (error["code"], MESSAGE in error["message"]) == ("results_after_fieldwork", True), url
        assert "base" not in response.content.decode()


def test_no_export_of_an_open_cycle_is_made_for_anyone(open_cycle, admin_user, analyst):
    for user, format in ((analyst, ExportFormat.PDF), (admin_user, ExportFormat.CSV), (admin_user, "respondents")):
        with pytest.raises(PermissionDenied, match=MESSAGE):
            export_request(user=user, cycle=open_cycle, format=format)
    assert ReportExport.objects.count() == 0


def test_closing_fieldwork_builds_the_results_and_nhscc_then_reads_them(
    open_cycle, client, analyst, django_capture_on_commit_callbacks
):
    before = ScorecardSet.objects.filter(cycle=open_cycle).count()
    with django_capture_on_commit_callbacks(execute=True):
        cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)

    client.force_login(analyst)
    assert ScorecardSet.objects.filter(cycle=open_cycle).count() >= before
    assert client.get("/results/2014/league-table/").status_code == 200


def test_a_comment_submitted_in_fieldwork_is_in_no_list_until_the_cycle_closes(
    open_cycle, client, analyst, django_capture_on_commit_callbacks
):
    # Given the comment registered (it waits, unseen) while the cycle is open
    client.force_login(analyst)
    assert CommentModeration.objects.filter(cycle=open_cycle).exists()
    for url in ("/results/2014/comments/", "/api/v1/cycles/2014/comments/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "never returns our calls" not in response.content.decode()

    # When fieldwork closes, the moderation queue lists it
    with django_capture_on_commit_callbacks(execute=True):
        cycle_set_state(cycle=open_cycle, state=CycleState.CLOSED)
    response = client.get("/api/v1/cycles/2014/comments/")
    assert response.status_code == 200
    assert "never returns our calls" in response.content.decode()
