"""Every export carries the rater group (issue 14): the data CSV, the workbook's long sheet, the respondent-level
file, and the annual report's and board pack's self-vs-others pages; nothing hidden is recoverable from them.

The cycles are ``scorecards.tests.raters``' (its docstring works the figures out by hand): in 2031 Q44's 2 GP
member practices are hidden beside its 5 leads, Q46 has 6 practices, and both assessed themselves; in 2032
Q53's self-assessment sits beside its 6 leads, shown.
"""

import io
from collections import Counter

import pytest
from openpyxl import load_workbook

from exports.renderers import xlsx
from exports.renderers.csv_ import NUMBER_COLUMNS
from exports.renderers.data import rater_groups_note
from exports.renderers.safe import SUPPRESSED_MARKER
from exports.services import pack_render
from exports.tests.files import build, csv_records, pdf_text
from scorecards.services.publishing import RATER_VIEWS
from scorecards.tests import attack
from scorecards.tests.factories import current_rows
from scorecards.tests.raters import seed_partner_cycle, seed_self_cycle
from surveys.models import Cycle

pytestmark = pytest.mark.django_db

Q53 = "Arden, Herefordshire and Worcestershire"


@pytest.fixture(scope="module")
def cycle_ids(module_db):
    return seed_partner_cycle().pk, seed_self_cycle().pk


@pytest.fixture
def partner_cycle(cycle_ids, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Cycle.objects.get(pk=cycle_ids[0])


@pytest.fixture
def self_cycle(cycle_ids, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Cycle.objects.get(pk=cycle_ids[1])


def _questionnaire(cycle) -> dict:
    """The public questionnaire's tags of each item (the attacker knows which statements a behaviour holds)."""
    return {
        (kind, code): (behaviour, role)
        for kind, code, behaviour, role in current_rows(cycle).values_list(
            "kind", "code", "behaviour_code", "role_code"
        )
    }


def _number(text: str):
    if text in ("", SUPPRESSED_MARKER):
        return None
    if text in ("true", "false"):
        return text == "true"
    return float(text) if "." in text or "e" in text else int(text)


# --- CSV ------------------------------------------------------------------------------------------------


def test_the_csv_has_every_views_rows_with_its_rater_group_and_label(partner_cycle):
    records = csv_records(build(partner_cycle, "csv"))

    assert {"rater_group", "rater_group_label", "base"} <= set(records[0])
    assert {r["rater_group"] for r in records} == set(RATER_VIEWS)
    by_key = {(r["level"], r["org_code"], r["kind"], r["code"], r["rater_group"]): r for r in records}
    # England's practices on ONE: (2 × 10 + 6 × 5) / 8 = 6.25, 25% positive, base 8
    practice = by_key[("england", "ENG", "question", "ONE", "practice")]
    assert (practice["base"], practice["score"], practice["pct_positive"]) == ("8", "6.25", "25.0")
    assert practice["rater_group_label"] == "GP member practices"
    # Q44's self-assessment: one respondent, shown as it is
    own = by_key[("area_team", "Q44", "question", "TWO", "self")]
    assert (own["suppressed"], own["base"], own["score"]) == ("false", "1", "10.0")
    assert own["rater_group_label"] == "The area team's self-assessment"
    # Q44's 2 practices are hidden as hidden: every figure the marker, never zero
    hidden = by_key[("area_team", "Q44", "question", "ONE", "practice")]
    assert (hidden["suppressed"], hidden["suppression_reason"]) == ("true", "hidden")
    assert {hidden[c] for c in NUMBER_COLUMNS} == {SUPPRESSED_MARKER}


def test_the_attacker_recovers_nothing_from_the_csv(partner_cycle):
    records = csv_records(build(partner_cycle, "csv"))
    rows = [
        {
            **r,
            "suppressed": r["suppressed"] == "true",
            **{c: _number(r[c]) for c in NUMBER_COLUMNS},
            "behaviour_code": _questionnaire(partner_cycle)[(r["kind"], r["code"])][0],
            "role_code": _questionnaire(partner_cycle)[(r["kind"], r["code"])][1],
        }
        for r in records
    ]
    assert {r["rater_group"] for r in rows if r["suppressed"]} >= {"practice", "partners", ""}

    assert attack.recover(rows) == []


# --- XLSX -----------------------------------------------------------------------------------------------


def _rater_sheet(cycle) -> list[dict]:
    sheet = load_workbook(io.BytesIO(build(cycle, "xlsx")))[xlsx.RATER_SHEET]
    headings = [cell.value for cell in sheet[1]]
    records = [dict(zip(headings, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    for record in records:
        # An empty text cell reads back as no value: all leads' code, and England's parent
        record["Rater group code"] = record["Rater group code"] or ""
        record["Parent code"] = record["Parent code"] or ""
    return records


def test_the_workbook_has_a_sheet_of_every_figure_by_rater_group_with_hidden_cells_hidden(partner_cycle):
    records = _rater_sheet(partner_cycle)

    assert {r["Rater group code"] for r in records} == set(RATER_VIEWS)
    by_key = {(r["Code"], r["Kind"], r["Item"], r["Rater group code"]): r for r in records}
    practice = by_key[("ENG", "question", "ONE", "practice")]
    assert (practice["Base (n)"], practice["Score (0-10)"], practice["% positive"]) == (8, 6.25, 25.0)
    assert practice["Rater group"] == "GP member practices"
    own = by_key[("Q44", "question", "ONE", "self")]
    assert (own["Base (n)"], own["Score (0-10)"]) == (1, 0)
    hidden = by_key[("Q44", "question", "ONE", "practice")]
    assert {hidden[heading] for _, heading, _ in xlsx.GROUP} == {SUPPRESSED_MARKER}
    # And the notes name the rater groups and where every view is
    notes = load_workbook(io.BytesIO(build(partner_cycle, "xlsx")))["Notes"]
    text = " ".join(str(cell.value) for row in notes.iter_rows() for cell in row if cell.value)
    assert "Rater groups and the self-assessment" in text
    assert "By rater group sheet" in text


def test_the_attacker_recovers_nothing_from_the_workbook(partner_cycle):
    tags = _questionnaire(partner_cycle)
    fields = {heading: field for field, heading, _ in xlsx.GROUP}
    rows = []
    for r in _rater_sheet(partner_cycle):
        suppressed = r["Base (n)"] == SUPPRESSED_MARKER
        rows.append(
            {
                "org_code": r["Code"],
                "parent_code": r["Parent code"],
                "kind": r["Kind"],
                "code": r["Item"],
                "rater_group": r["Rater group code"],
                "suppressed": suppressed,
                "behaviour_code": tags[(r["Kind"], r["Item"])][0],
                "role_code": tags[(r["Kind"], r["Item"])][1],
                **{field: None if suppressed else r[heading] for heading, field in fields.items()},
            }
        )
    assert any(r["suppressed"] and r["rater_group"] == "practice" for r in rows)

    assert attack.recover(rows) == []


# --- respondent-level file -----------------------------------------------------------------------------


def test_the_respondent_file_carries_each_respondents_rater_group(partner_cycle):
    records = csv_records(build(partner_cycle, "respondents"))

    counts = Counter((r["area_team_code"], r["rater_group"]) for r in records)
    assert counts == {
        ("Q44", "clinical"): 5,
        ("Q44", "practice"): 2,
        ("Q44", "self"): 1,
        ("Q46", "managerial"): 6,
        ("Q46", "practice"): 6,
        ("Q46", "self"): 1,
    }
    (own,) = [r for r in records if (r["area_team_code"], r["rater_group"]) == ("Q44", "self")]
    assert (own["ONE"], own["TWO"]) == ("1", "5")


# --- PDF ------------------------------------------------------------------------------------------------


def test_the_method_names_the_rater_groups_the_self_assessment_and_each_groups_threshold(settings):
    settings.SUPPRESSION_MIN_BASE_BY_GROUP = {"practice": 8}

    note = rater_groups_note(5)

    for words in ("clinical, managerial and financial", "GP member practices", "attributable", "never pooled"):
        assert words in note
    assert "at least 5" in note
    assert "gp member practices 8" in note


def test_the_annual_report_has_a_self_vs_others_page_per_area_team_that_assessed_itself(self_cycle, tmp_path):
    text = " ".join(pdf_text(build(self_cycle, "pdf"), tmp_path).split())

    # Q53's page: self beside its leads, ONE a hidden strength (0 against 10), TWO a blind spot (10 against 2.5),
    # the behaviour 5.0 against 6.25 neither
    assert f"{Q53}: self beside CCG leads" in text
    assert "1 blind spot and 1 hidden strength" in text
    assert "NHS England listens. 0.0 10.0 Hidden strength" in text
    assert "NHS England explains. 10.0 2.5 Blind spot" in text
    # An area team without one gets a note, not a page
    assert "Greater Manchester did not complete a self-assessment this year" in text
    assert text.count("self beside CCG leads") == 1
    # And the method names the rater groups
    assert "Rater groups and the self-assessment" in text
    assert "never pooled" in text


def test_where_the_leads_are_hidden_the_report_shows_self_alone_and_claims_no_gap(partner_cycle, tmp_path):
    text = " ".join(pdf_text(build(partner_cycle, "pdf"), tmp_path).split())

    assert "Cheshire, Warrington and Wirral: self beside CCG leads" in text
    assert "NHS England listens. 0.0 [s]" in text
    assert "0 blind spots and 0 hidden strengths" in text
    assert text.count("self beside CCG leads") == 2
    assert "Durham, Darlington and Tees did not complete a self-assessment this year" in text
    # And the views of this report are named in the method
    assert (
        "All leads; All leads, each CCG counting once; Clinical leads; Managerial leads; Financial leads; "
        "Everyone but the area team" in text
    )


def test_the_board_pack_has_the_self_vs_others_page_or_a_note(self_cycle, tmp_path):
    for code, expected in (
        ("Q53", "NHS England explains. 10.0 2.5 Blind spot"),
        ("Q46", "Greater Manchester did not complete a self-assessment this year"),
    ):
        out = io.BytesIO()
        pack_render(cycle=self_cycle, area_team=code, out=out)
        text = " ".join(pdf_text(out.getvalue(), tmp_path).split())
        assert expected in text, code
        assert "self beside CCG leads" in text
        pages = text.count("Page ")
        assert 2 <= pages <= 6, (code, pages)
