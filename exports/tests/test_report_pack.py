"""The national report's contents page is right: every section is listed with the page it starts on, read back from
the PDF with pdftotext; key messages name organisations, not codes."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from core.errors import NotFound
from exports.models import ExportFormat
from exports.services import export_render, pack_render
from exports.tests.factories import seed_small_cycle
from organisations.models import AreaTeam, Region
from scorecards.models import Level
from scorecards.tests.factories import current_rows
from surveys.models import Cycle

pytestmark = pytest.mark.django_db

CONTENTS_LINE = re.compile(r"^\s*(\S.*?)\s*(?:\.\s?){2,}\s*(\d+)\s*$")


@pytest.fixture(scope="module")
def small_cycle_id(module_db) -> int:
    """The small published cycle (2014, 2013 before it), built once for the module."""
    return seed_small_cycle().pk


@pytest.fixture(scope="module")
def report_pages(small_cycle_id, tmp_path_factory) -> list[str]:
    """The national report of the small cycle, one string of text per page."""
    out = io.BytesIO()
    export_render(cycle=Cycle.objects.get(pk=small_cycle_id), format=ExportFormat.PDF, out=out)
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(out.getvalue())
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return text.split("\f")


def first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def test_the_contents_lists_every_section_with_the_page_it_starts_on(report_pages):
    contents_page = next(i for i, page in enumerate(report_pages) if first_line(page) == "Contents")
    entries = [
        (match.group(1), int(match.group(2)))
        for line in report_pages[contents_page].splitlines()
        if (match := CONTENTS_LINE.match(line))
    ]
    titles = [title for title, _ in entries]
    for section in ("Key messages", "Summary", "Method", "Response rates", "League tables", "Area teams"):
        assert section in titles
    assert titles[-1] == "Appendix: suppressed figures"
    teams = set(AreaTeam.objects.values_list("name", flat=True))
    listed_teams = [(title, page) for title, page in entries if title in teams]
    assert len(listed_teams) == len(teams)
    for title, page in entries:
        heading = listed_teams[0][0] if title == "Area teams" else title
        # Each section starts a page, with its heading first: the page the contents names.
        assert first_line(report_pages[page - 1]) == heading, (title, page)
    pages = [page for _, page in entries]
    assert pages == sorted(pages)


def test_key_messages_come_first_for_england_and_by_region_with_names_not_codes(report_pages):
    messages = next(page for page in report_pages if first_line(page) == "Key messages")
    assert "England" in messages and "Strongest:" in messages and "Weakest:" in messages
    for region in Region.objects.values_list("name", flat=True):
        assert region in messages
    area_team_pages = [
        page for page in report_pages if first_line(page) in set(AreaTeam.objects.values_list("name", flat=True))
    ]
    assert area_team_pages and all("An area team in" in page for page in area_team_pages)
    assert not any(re.search(r"Area team Q\d\d, region Y\d\d", page) for page in report_pages)


def test_an_area_teams_pack_is_two_to_six_pages_of_its_own_figures_against_england_and_its_region(
    small_cycle_id, tmp_path
):
    cycle = Cycle.objects.get(pk=small_cycle_id)
    code = (
        current_rows(cycle)
        .filter(level=Level.AREA_TEAM, kind="overall", rater_group="", suppressed=False, score__isnull=False)
        .values_list("org_code", flat=True)
        .first()
    )
    area_team = AreaTeam.objects.select_related("region").get(ods_code=code)
    out = io.BytesIO()
    pack_render(cycle=cycle, area_team=code, out=out)
    path = tmp_path / "pack.pdf"
    path.write_bytes(out.getvalue())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout  # noqa: S603, S607
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 2 <= pages <= 6
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert area_team.name in text and area_team.region.name in text
    for heading in ("Summary", "Strongest against England", "Weakest against England", "Every statement"):
        assert heading in text
    assert f"{area_team.name}'s response" in text
    # The PNG of the first page, for a person to look at (test-artifacts/).
    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "60", str(path), str(artifacts / "area-team-pack")],  # noqa: S607
        check=True,
    )
    with pytest.raises(NotFound):
        pack_render(cycle=cycle, area_team="Q00", out=io.BytesIO())
