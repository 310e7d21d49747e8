"""The organisations import: the real 2013 structure, idempotence, updates, and refused files.

Every refused-file test starts from an already-imported database and checks the message names the
line and the problem, and that not one row changed.
"""

import pytest

from organisations.models import CCG, AreaTeam, Region
from organisations.selectors import organisation_counts
from organisations.services import (
    DEFAULT_CSV,
    MSG_BAD_ODS_CODE,
    MSG_DUPLICATE_CCG,
    MSG_EMPTY,
    MSG_EMPTY_FILE,
    MSG_MISSING_COLUMNS,
    MSG_NO_ROWS,
    MSG_NOT_UTF8,
    MSG_TWO_GSS_CODES,
    MSG_TWO_PARENTS,
    MSG_UNKNOWN_REGION,
    REQUIRED_COLUMNS,
    OrganisationImportError,
    organisations_import,
)
from organisations.tests.helpers import csv_bytes, organisations_snapshot

pytestmark = pytest.mark.django_db

REAL_COUNTS = {"regions": 4, "area_teams": 27, "ccgs": 211}
APPENDED_LINE = 213  # header + 211 CCGs, so a row added at the end is on line 213


def refused(raw: bytes) -> OrganisationImportError:
    with pytest.raises(OrganisationImportError) as caught:
        organisations_import(raw=raw)
    return caught.value


def assert_unchanged(before):
    assert organisation_counts() == REAL_COUNTS
    assert organisations_snapshot() == before


# The real file


def test_importing_the_bundled_file_gives_4_regions_27_area_teams_211_ccgs(no_organisations):
    result = organisations_import(raw=DEFAULT_CSV.read_bytes())

    assert organisation_counts() == REAL_COUNTS
    assert (result.regions, result.area_teams, result.ccgs) == (4, 27, 211)
    assert (result.created, result.updated) == (4 + 27 + 211, 0)
    ccg = CCG.objects.select_related("area_team__region").get(ods_code="01C")
    assert (ccg.name, ccg.gss_code) == ("NHS Eastern Cheshire CCG", "E38000056")
    assert (ccg.area_team.ods_code, ccg.area_team.name) == ("Q44", "Cheshire, Warrington and Wirral")
    assert (ccg.area_team.region.ods_code, ccg.area_team.region.name) == ("Y54", "North of England")
    assert sorted(Region.objects.values_list("ods_code", flat=True)) == ["Y54", "Y55", "Y56", "Y57"]


def test_importing_the_same_file_again_changes_nothing(imported):
    result = organisations_import(raw=DEFAULT_CSV.read_bytes())

    assert (result.created, result.updated) == (0, 0)
    assert (result.regions, result.area_teams, result.ccgs) == (4, 27, 211)
    assert_unchanged(imported)


def test_a_changed_name_in_a_second_file_updates_that_row_in_place(imported, rows):
    rows[0]["ccg_name"] = "NHS Eastern Cheshire Clinical Commissioning Group"
    ccg_id = CCG.objects.get(ods_code="01C").pk

    result = organisations_import(raw=csv_bytes(rows))

    assert (result.created, result.updated) == (0, 1)
    assert organisation_counts() == REAL_COUNTS
    ccg = CCG.objects.get(ods_code="01C")
    assert ccg.pk == ccg_id
    assert ccg.name == "NHS Eastern Cheshire Clinical Commissioning Group"
    after = organisations_snapshot()
    assert after["regions"] == imported["regions"]
    assert after["area_teams"] == imported["area_teams"]
    changed = [row for row in after["ccgs"] if row not in imported["ccgs"]]
    assert changed == [
        (ccg_id, "01C", "E38000056", "NHS Eastern Cheshire Clinical Commissioning Group", ccg.area_team_id)
    ]


def test_a_ccg_moved_to_another_area_team_is_updated_in_place(imported, rows):
    q45 = next(row for row in rows if row["area_team_code"] == "Q45")
    rows[0].update({k: q45[k] for k in ("area_team_code", "area_team_gss_code", "area_team_name")})

    result = organisations_import(raw=csv_bytes(rows))

    assert (result.created, result.updated) == (0, 1)
    assert CCG.objects.get(ods_code="01C").area_team == AreaTeam.objects.get(ods_code="Q45")
    assert organisation_counts() == REAL_COUNTS


def test_a_new_ccg_is_created_and_ccgs_missing_from_the_file_are_kept(imported, rows):
    new = {**rows[0], "ccg_code": "99X", "ccg_gss_code": "E38999999", "ccg_name": "NHS New Town CCG"}

    result = organisations_import(raw=csv_bytes([*rows[1:], new]))

    assert (result.created, result.updated) == (1, 0)
    assert CCG.objects.filter(ods_code__in=["01C", "99X"]).count() == 2
    assert organisation_counts() == {**REAL_COUNTS, "ccgs": 212}


def test_lower_case_codes_and_a_byte_order_mark_are_accepted(imported, rows):
    for row in rows:
        row["ccg_code"] = row["ccg_code"].lower()

    result = organisations_import(raw=b"\xef\xbb\xbf" + csv_bytes(rows))

    assert (result.created, result.updated) == (0, 0)
    assert_unchanged(imported)


# Refused files: one test per problem


def test_a_missing_column_is_refused_naming_line_1_and_the_column(imported, rows):
    columns = [c for c in REQUIRED_COLUMNS if c != "ccg_gss_code"]

    error = refused(csv_bytes(rows, columns=columns))

    assert error.message == MSG_MISSING_COLUMNS.format(columns="ccg_gss_code")
    assert error.message == "Line 1: missing column(s): ccg_gss_code."
    assert_unchanged(imported)


def test_an_unknown_region_is_refused_naming_the_line_and_code(imported, rows):
    rows[4]["region_code"] = "Y99"

    error = refused(csv_bytes(rows))

    assert error.message == MSG_UNKNOWN_REGION.format(line=6, code="Y99")
    assert error.message == "Line 6: unknown region code 'Y99' (expected one of Y54, Y55, Y56, Y57)."
    assert_unchanged(imported)


def test_a_ccg_under_two_area_teams_is_refused_as_such_not_as_a_duplicate(imported, rows):
    q45 = next(row for row in rows if row["area_team_code"] == "Q45")
    again = {**q45, "ccg_code": "01C", "ccg_gss_code": "E38000056", "ccg_name": "NHS Eastern Cheshire CCG"}

    error = refused(csv_bytes([*rows, again]))

    assert error.message == MSG_TWO_PARENTS.format(
        line=APPENDED_LINE, kind="CCG", code="01C", parent="area team Q45", first_parent="area team Q44", first=2
    )
    assert error.message == "Line 213: CCG 01C is under area team Q45 here but under area team Q44 on line 2."
    assert_unchanged(imported)


def test_an_area_team_under_two_regions_is_refused_naming_both(imported, rows):
    y55 = next(row for row in rows if row["region_code"] == "Y55")
    stray = {
        **rows[0],
        "ccg_code": "99X",
        "ccg_gss_code": "E38999999",
        "ccg_name": "NHS Stray CCG",
        **{k: y55[k] for k in ("region_code", "region_gss_code", "region_name")},
    }

    error = refused(csv_bytes([*rows, stray]))

    assert error.message == "Line 213: Area team Q44 is under region Y55 here but under region Y54 on line 2."
    assert_unchanged(imported)


def test_a_duplicate_ccg_code_is_refused_naming_both_lines(imported, rows):
    error = refused(csv_bytes([*rows, dict(rows[0])]))

    assert error.message == MSG_DUPLICATE_CCG.format(line=APPENDED_LINE, code="01C", first=2)
    assert error.message == "Line 213: CCG 01C appears again (first on line 2)."
    assert_unchanged(imported)


def test_an_empty_name_is_refused_naming_the_line_and_column(imported, rows):
    rows[1]["ccg_name"] = "  "

    error = refused(csv_bytes(rows))

    assert error.message == MSG_EMPTY.format(line=3, column="ccg_name")
    assert error.message == "Line 3: ccg_name is empty."
    assert_unchanged(imported)


def test_a_windows_1252_file_is_refused_as_not_utf8_naming_the_line(imported, rows):
    rows[3]["ccg_name"] = "NHS Warrington CCG – Bridgewater café"

    error = refused(csv_bytes(rows, encoding="cp1252"))

    assert error.message == MSG_NOT_UTF8.format(line=5)
    assert error.message.startswith("The file is not UTF-8 text (line 5).")
    assert_unchanged(imported)


def test_an_empty_file_is_refused(imported):
    error = refused(b"")

    assert error.message == MSG_EMPTY_FILE.format(columns=",".join(REQUIRED_COLUMNS))
    assert error.message.startswith("Line 1: the file is empty; it needs a header row (ccg_code,ccg_gss_code,")
    assert_unchanged(imported)


def test_a_header_only_file_is_refused(imported):
    error = refused(csv_bytes([]))

    assert error.message == MSG_NO_ROWS
    assert error.message == "The file has only a header row (line 1) and no organisations after it."
    assert_unchanged(imported)


def test_a_malformed_ods_code_is_refused_before_it_reaches_the_database(imported, rows):
    rows[0]["ccg_code"] = "01CX"

    error = refused(csv_bytes(rows))

    assert error.message == MSG_BAD_ODS_CODE.format(line=2, column="ccg_code", code="01CX")
    assert_unchanged(imported)


def test_an_area_team_with_two_gss_codes_is_refused(imported, rows):
    rows[1]["area_team_gss_code"] = "E39000099"

    error = refused(csv_bytes(rows))

    assert error.message == MSG_TWO_GSS_CODES.format(
        line=3, kind="Area team", code="Q44", gss="E39000099", first_gss="E39000001", first=2
    )
    assert_unchanged(imported)


def test_every_problem_in_a_file_is_listed_with_its_line(imported, rows):
    rows[0]["ccg_name"] = ""
    rows[9]["region_code"] = "Y99"

    error = refused(csv_bytes(rows))

    assert error.message == "2 problems in the file."
    assert error.problems == [
        "Line 2: ccg_name is empty.",
        "Line 11: unknown region code 'Y99' (expected one of Y54, Y55, Y56, Y57).",
    ]
    assert error.details == error.problems
    assert_unchanged(imported)


def test_a_refused_file_on_an_empty_database_writes_nothing(no_organisations, rows):
    rows[-1]["ccg_name"] = ""

    refused(csv_bytes(rows))

    assert organisation_counts() == {"regions": 0, "area_teams": 0, "ccgs": 0}
