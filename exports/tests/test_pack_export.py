"""An area team's board pack as an export: requested, built by the export task, downloaded; by whom, of which cycle.

Given the small published cycle (2014, 2013 before it; exports.tests.factories), with CCG leads' answers about
Q44, Q46 and others; when members of area teams, NHSCC staff and CCG leads ask for packs; then only a member of
that area team and NHSCC staff get one, each request and download is audited, and a second request while one
is under way is answered with it.
"""

import re
import subprocess

import pytest

from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from core.models import AuditEvent
from exports import selectors
from exports.models import ExportFormat, ExportStatus, ReportExport
from exports.services import export_download, export_request, export_run
from exports.tests.factories import seed_small_cycle
from scorecards.models import ScorecardSet
from surveys.models import Cycle, CycleState
from surveys.selectors import ResultsNotYetAvailable

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_cycle_id(module_db) -> int:
    return seed_small_cycle().pk


@pytest.fixture
def cycle(small_cycle_id, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Cycle.objects.get(pk=small_cycle_id)


@pytest.fixture
def member(make_user):
    return make_user(role="area_team_member", area_team_code="Q44")


def pdf_pages(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def download(user, export) -> bytes:
    handle, _filename = export_download(user=user, export=export)
    with handle:
        return handle.read()


def test_a_member_asks_for_the_pack_it_is_built_and_they_download_it(cycle, member, tmp_path):
    export = export_request(user=member, cycle=cycle, format=ExportFormat.PACK, area_team="q44", ip="10.0.0.1")
    assert (export.status, export.area_team.ods_code, export.scorecard_set_id) == (
        ExportStatus.QUEUED,
        "Q44",
        ScorecardSet.objects.filter(cycle=cycle).latest("version").pk,
    )

    export = export_run(export_id=export.pk)

    assert (export.status, export.progress, export.message) == (ExportStatus.DONE, 100, "Ready to download")
    assert re.fullmatch(r"appraisal-2014-board-pack-q44-v\d+\.pdf", export.filename)
    content = download(member, export)
    assert content.startswith(b"%PDF-") and len(content) == export.size
    pages = pdf_pages(content, tmp_path)
    assert 2 <= len(pages) <= 6
    assert "Cheshire, Warrington and Wirral" in pages[0] and "DRAFT" not in "".join(pages)
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor", "detail"))
    assert [(action, actor) for action, actor, _ in events] == [
        ("export_requested", member.pk),
        ("export_downloaded", member.pk),
    ]
    assert events[0][2] == {"cycle": 2014, "format": "pack", "area_team": "Q44"}
    # A second run of the same task (a redelivery) builds nothing more.
    assert export_run(export_id=export.pk) is None


def test_asking_again_while_it_is_under_way_answers_with_the_same_export(cycle, member, analyst):
    first = export_request(user=member, cycle=cycle, format=ExportFormat.PACK, area_team="Q44")

    again = export_request(user=member, cycle=cycle, format=ExportFormat.PACK, area_team="Q44")

    assert again.pk == first.pk
    assert AuditEvent.objects.filter(action="export_requested").count() == 1
    # NHSCC staff may build several area teams' packs at once, one at a time per area team.
    q44 = export_request(user=analyst, cycle=cycle, format=ExportFormat.PACK, area_team="Q44")
    q46 = export_request(user=analyst, cycle=cycle, format=ExportFormat.PACK, area_team="Q46")
    assert len({first.pk, q44.pk, q46.pk}) == 3
    # Once it is done, a new request builds a new file (the published response may have changed meanwhile).
    export_run(export_id=first.pk)
    assert export_request(user=member, cycle=cycle, format=ExportFormat.PACK, area_team="Q44").pk != first.pk


def test_a_second_pack_of_the_same_area_team_from_other_figures_waits_for_the_first(cycle, analyst):
    previous = Cycle.objects.get(year=2013)
    export_request(user=analyst, cycle=previous, format=ExportFormat.PACK, area_team="Q46")

    with pytest.raises(Conflict, match="You already have a board pack of Greater Manchester under way"):
        export_request(user=analyst, cycle=cycle, format=ExportFormat.PACK, area_team="Q46")


@pytest.mark.parametrize(
    ("role", "area_team", "error"),
    [
        ("area_team_member", "Q46", PermissionDenied),  # another area team's pack
        ("ccg_lead", "Q44", PermissionDenied),
        ("analyst", "Q00", NotFound),
        ("analyst", "", DomainError),
    ],
)
def test_who_may_not_have_which_pack(cycle, make_user, role, area_team, error):
    extra = {"area_team_code": "Q44"} if role == "area_team_member" else {}
    if role == "ccg_lead":
        extra = {"ccg_code": "01C", "lead_role": "clinical"}
    user = make_user(role=role, **extra)

    with pytest.raises(error):
        export_request(user=user, cycle=cycle, format=ExportFormat.PACK, area_team=area_team)

    assert not ReportExport.objects.exists()


def test_only_a_pack_is_about_an_area_team(cycle, analyst):
    with pytest.raises(DomainError, match="Only a board pack is about one area team"):
        export_request(user=analyst, cycle=cycle, format=ExportFormat.PDF, area_team="Q44")


def test_a_closed_unpublished_cycle_is_for_nhscc_only_and_every_page_says_draft(cycle, member, analyst, tmp_path):
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    cycle.refresh_from_db()

    with pytest.raises(PermissionDenied, match="not published"):
        export_request(user=member, cycle=cycle, format=ExportFormat.PACK, area_team="Q44")

    export = export_run(
        export_id=export_request(user=analyst, cycle=cycle, format=ExportFormat.PACK, area_team="Q44").pk
    )
    assert export.status == ExportStatus.DONE
    pages = pdf_pages(download(analyst, export), tmp_path)
    assert pages and all("DRAFT: not published" in page for page in pages)


@pytest.mark.parametrize("role", ["analyst", "admin", "area_team_member"])
def test_an_open_cycle_has_no_pack_for_anyone(cycle, users_by_role, role):
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.OPEN)
    cycle.refresh_from_db()

    with pytest.raises(ResultsNotYetAvailable):
        export_request(user=users_by_role[role], cycle=cycle, format=ExportFormat.PACK, area_team="Q44")


def test_who_sees_and_downloads_a_finished_pack(cycle, member, make_user, analyst, admin_user):
    export = export_run(
        export_id=export_request(user=member, cycle=cycle, format=ExportFormat.PACK, area_team="Q44").pk
    )
    colleague = make_user(role="area_team_member", area_team_code="Q44")
    other_team = make_user(role="area_team_member", area_team_code="Q46")

    assert selectors.pack_for_user(user=member, export_id=export.pk) == export
    assert selectors.pack_for_user(user=admin_user, export_id=export.pk) == export
    for outsider in (colleague, other_team, analyst):  # analysts see their own exports, as for the annual report
        with pytest.raises(NotFound):
            selectors.pack_for_user(user=outsider, export_id=export.pk)
    # Staff may download any pack (the download is still audited as theirs); another area team's member never.
    assert download(admin_user, export).startswith(b"%PDF-")
    with pytest.raises(PermissionDenied):
        export_download(user=other_team, export=export)
    # A member who moves to another area team no longer gets the packs of the one they left.
    type(member).objects.filter(pk=member.pk).update(area_team=other_team.area_team)
    member.refresh_from_db()
    with pytest.raises(NotFound):
        selectors.pack_for_user(user=member, export_id=export.pk)
    assert list(AuditEvent.objects.filter(action="export_downloaded").values_list("actor", flat=True)) == [
        admin_user.pk
    ]


def test_a_pack_of_an_area_team_outside_the_figures_fails_with_a_reason(cycle, analyst):
    from organisations.models import AreaTeam, Region

    new_team = AreaTeam.objects.create(
        ods_code="Q99", gss_code="E39000099", name="A new area team", region=Region.objects.first()
    )
    export = export_request(user=analyst, cycle=cycle, format=ExportFormat.PACK, area_team=new_team.ods_code)

    export = export_run(export_id=export.pk)

    assert export.status == ExportStatus.FAILED
    assert export.message == "There is no area team Q99 in these figures."
    assert not export.file
