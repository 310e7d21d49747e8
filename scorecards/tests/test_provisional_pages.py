"""The provisional snapshot pages: admins build and read them through a confirmation; every other role is
refused with a page that says why; every snapshot page says PROVISIONAL."""

import csv
import io

import pytest

from core.models import AuditEvent
from scorecards.models import ProvisionalSnapshot
from scorecards.services import scorecards_recompute
from scorecards.services.provisional import MSG_ADMINS_ONLY, provisional_snapshot_build
from scorecards.tests.factories import Q, import_responses, make_cycle, text_of
from surveys.models import CycleState

pytestmark = pytest.mark.django_db

QUESTIONS = [Q("ONE", "NHS England listens.", behaviour="T-B"), Q("TWO", "My area team is easy to reach.", role="T-R")]


@pytest.fixture
def cycle(organisations):
    cycle = make_cycle(2014, CycleState.OPEN, QUESTIONS)
    rows = [(ccg, "clinical", {"ONE": 4, "TWO": 2}) for ccg in ["01C"] * 8 + ["00T"] * 7 + ["00Q"] * 6]
    import_responses(cycle, rows)
    scorecards_recompute(cycle_id=cycle.pk)
    return cycle


@pytest.fixture
def snapshot(cycle, admin_user):
    return provisional_snapshot_build(cycle_id=cycle.pk, actor=admin_user)


def _pages(snapshot) -> list[str]:
    base = f"/manage/cycles/2014/provisional/{snapshot.pk}/"
    return [
        "/manage/cycles/2014/provisional/",
        "/manage/cycles/2014/provisional/build/",
        base,
        f"{base}provisional.csv",
        f"{base}region/Y54/",
        f"{base}area-team/Q44/",
    ]


@pytest.mark.parametrize("role", ["analyst", "area_team_member", "lead"])
def test_every_other_role_is_refused_every_snapshot_page_with_a_page_that_says_why(client, request, role, snapshot):
    client.force_login(request.getfixturevalue(role))
    for url in _pages(snapshot):
        response = client.get(url)
        assert response.status_code == 403, url
        assert MSG_ADMINS_ONLY in response.content.decode(), url
    # And none of them can build one
    response = client.post("/manage/cycles/2014/provisional/build/")
    assert response.status_code == 403
    assert ProvisionalSnapshot.objects.count() == 1


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, snapshot):
    for url in _pages(snapshot):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_an_admin_builds_a_snapshot_through_a_confirmation_and_reads_it_marked_provisional(
    client, admin_user, cycle, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    # The open cycle's page has the card
    page = client.get("/manage/cycles/2014/").content.decode()
    assert 'data-testid="provisional-card"' in page
    assert "/manage/cycles/2014/provisional/" in page
    # The snapshots page says what would be counted
    page = text_of(client.get("/manage/cycles/2014/provisional/").content.decode())
    assert "21 responses are counted." in page
    assert "No provisional snapshot has been built for 2014." in page
    # The confirmation says what will happen, and builds nothing yet
    page = text_of(client.get("/manage/cycles/2014/provisional/build/").content.decode())
    assert "Build a provisional snapshot?" in page
    assert "Only admins can see it. It is never published" in page
    assert not ProvisionalSnapshot.objects.exists()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/manage/cycles/2014/provisional/build/")

    # Then its build is queued (the task runs here once the request commits), and it is listed
    assert len(callbacks) == 1
    assert response.status_code == 302
    assert response["Location"] == "/manage/cycles/2014/provisional/"
    snapshot = ProvisionalSnapshot.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "The provisional snapshot is being built" in text_of(page)
    assert f'href="/manage/cycles/2014/provisional/{snapshot.pk}/"' in page
    html = client.get(f"/manage/cycles/2014/provisional/{snapshot.pk}/").content.decode()
    assert html.count('data-testid="provisional-banner"') == 2
    assert "<title>PROVISIONAL England" in html
    assert "PROVISIONAL: for NHSCC admins only." in text_of(html)
    assert 'data-testid="weighting-switch"' not in html  # a snapshot counts each lead once only
    assert AuditEvent.objects.filter(action="provisional_snapshot_requested", actor=admin_user).count() == 1
    assert AuditEvent.objects.filter(action="provisional_snapshot_built", actor=admin_user).count() == 1
    # Every organisation's page of the snapshot is marked too, and its heat map leads to the snapshot's pages
    assert f"/manage/cycles/2014/provisional/{snapshot.pk}/area-team/Q44/" in html
    for url in ("region/Y54/", "area-team/Q44/"):
        page = client.get(f"/manage/cycles/2014/provisional/{snapshot.pk}/{url}").content.decode()
        assert 'data-testid="provisional-banner"' in page
        assert "PROVISIONAL:" in text_of(page)
    # The published results stay refused while fieldwork is open
    assert client.get("/results/2014/england/").status_code == 403


def test_a_snapshot_refused_for_too_few_arrivals_says_so_on_the_confirmation_page(client, admin_user, snapshot):
    client.force_login(admin_user)
    page = text_of(client.get("/manage/cycles/2014/provisional/").content.decode())
    assert "0 of them since the last snapshot" in page
    assert "At least 5 need to arrive since the last snapshot before one can be built." in page

    response = client.post("/manage/cycles/2014/provisional/build/")

    assert response.status_code == 400
    assert "No responses have arrived since the last provisional snapshot on" in text_of(response.content.decode())
    assert ProvisionalSnapshot.objects.count() == 1


def test_the_snapshots_file_is_marked_provisional_on_every_row_and_in_its_name(client, admin_user, snapshot):
    client.force_login(admin_user)

    response = client.get(f"/manage/cycles/2014/provisional/{snapshot.pk}/provisional.csv")

    assert response.status_code == 200
    assert 'filename="PROVISIONAL-2014-snapshot-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and {row["status"] for row in rows} == {"PROVISIONAL"}
    england = next(r for r in rows if r["level"] == "england" and r["code"] == "ONE" and r["rater_group"] == "")
    assert england["base"] == "21"
    assert AuditEvent.objects.filter(action="provisional_snapshot_downloaded", actor=admin_user).count() == 1
