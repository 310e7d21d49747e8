"""The same published league table, with ties, reads the same on the page, through the API and in the PDF:
the same ranks (only where the intervals separate a team from its neighbours: never for a tie), the same
order (in bands, then by figure, tied teams by name, A to Z) and the same band labels.
"""

import io
import re
import subprocess
from html import unescape

import pytest
from django.urls import reverse

from exports.models import ExportFormat
from exports.services import export_render
from organisations.models import CCG, AreaTeam
from scorecards import presentation
from scorecards.tests.factories import Q, import_responses, make_cycle, recompute_and_publish
from surveys.models import Cycle, CycleState

pytestmark = pytest.mark.django_db

QUESTIONS = [Q("T-ONE", "NHS England listens to my CCG.", behaviour="T-B"), Q("T-TWO", "It explains.", role="T-R")]
# Six responses per area team (two per lead role): Q44 rated well, Q45 and Q46 identically (a tie),
# Q47 and Q48 identically too (another tie, below), Q49 badly.
POOLS = {
    "Q44": [5, 5, 4, 5, 5, 4],
    "Q45": [4, 3, 4, 3, 2, 4],
    "Q46": [4, 3, 4, 3, 2, 4],
    "Q47": [2, 3, 2, 3, 2, 3],
    "Q48": [2, 3, 2, 3, 2, 3],
    "Q49": [1, 1, 2, 1, 1, 2],
}
LEAD_ROLES = ("clinical", "managerial", "financial")


@pytest.fixture
def tied_cycle(organisations) -> Cycle:
    cycle = make_cycle(2014, CycleState.CLOSED, QUESTIONS)
    rows = []
    for area_team, pool in POOLS.items():
        ccgs = list(CCG.objects.filter(area_team__ods_code=area_team).order_by("ods_code"))
        for i, answer in enumerate(pool):
            rows.append((ccgs[i % len(ccgs)].ods_code, LEAD_ROLES[i % 3], {"T-ONE": answer, "T-TWO": answer}))
    import_responses(cycle, rows)
    recompute_and_publish(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.PUBLISHED)
    cycle.refresh_from_db()
    return cycle


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def web_league(client) -> list[tuple[str, str, str]]:
    """Return (area team, rank or "", band label) of the area teams with a figure on the page, in page order."""
    html = client.get(reverse("results-league-table", args=[2014])).content.decode()
    rows = []
    for code, row in re.findall(r'<tr[^>]*data-testid="row-(Q\d\d)"[^>]*>(.*?)</tr>', html, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rank = _text(cells[0])
        rank = "" if rank.startswith("Not ranked") else rank
        if code not in POOLS:  # no responses
            continue
        band = next((label for label in presentation.BAND_LABELS.values() if label in _text(row)), "")
        rows.append((code, rank, band))
    return rows


def api_league(client) -> list[tuple[str, str, str]]:
    """Return (area team, rank or "", band label) of the area teams with a figure in the API, in its order."""
    data = client.get("/api/v1/cycles/2014/league-table/").json()
    return [
        (r["org_code"], r["rank"], presentation.band_label(r["band"])) for r in data["rows"] if r["org_code"] in POOLS
    ]


def pdf_league(cycle, tmp_path, names: dict[str, str]) -> list[tuple[str, str, str]]:
    """Return (area team, rank or "", band label) of the first league table of the annual report PDF, read back."""
    out = io.BytesIO()
    export_render(cycle=cycle, format=ExportFormat.PDF, out=out)
    path = tmp_path / "report.pdf"
    path.write_bytes(out.getvalue())
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    first_league = text.split("Compared with England", 2)[1].splitlines()  # from the first table's header
    by_name = {name: code for code, name in names.items()}
    found = []
    for i, line in enumerate(first_league):
        match = re.match(r"\s*(\d+|–)\s+(.*?)\s+\d+\s+\d+\.\d\b", line)
        if not match:
            continue
        # A long name wraps around its row's line: its halves are on the lines above and below.
        name = match.group(2).strip() or f"{first_league[i - 1].strip()} {first_league[i + 1].strip()}"
        band = next((label for label in presentation.BAND_LABELS.values() if label in line), "")
        found.append((by_name[name], match.group(1).replace("–", ""), band))
    return found


def test_the_page_the_api_and_the_pdf_rank_order_and_band_a_tied_league_table_alike(
    client, analyst, tied_cycle, tmp_path
):
    client.force_login(analyst)
    names = dict(AreaTeam.objects.filter(ods_code__in=POOLS).values_list("ods_code", "name"))

    web = web_league(client)
    api = api_league(client)
    pdf = pdf_league(tied_cycle, tmp_path, names)

    assert web == api == pdf
    assert len(web) == len(POOLS)
    ranks = dict((code, rank) for code, rank, _ in web)
    # Ties overlap, so they are never ranked; the worst team's interval is clear of its neighbour's: it is 6th.
    assert [ranks[code] for code in ("Q45", "Q46", "Q47", "Q48")] == ["", "", "", ""]
    assert ranks["Q49"] == "6"
    # In bands: better first, worse last.
    bands = [band for _, _, band in web]
    order = list(presentation.BAND_LABELS.values())
    assert bands == sorted(bands, key=order.index)
    # Tied teams read in name order, A to Z.
    for tied in (web[1:3], web[3:5]):
        assert [names[code] for code, _, _ in tied] == sorted(names[code] for code, _, _ in tied)
    assert {band for _, _, band in web} <= set(presentation.BAND_LABELS.values())
    assert web[0][2] == "Better than England" and web[-1][2] == "Worse than England"
