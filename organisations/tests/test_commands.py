"""`manage.py import_organisations PATH`: prints the counts, or refuses the file and writes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from organisations.selectors import organisation_counts
from organisations.services import DEFAULT_CSV, REQUIRED_COLUMNS
from organisations.tests.helpers import csv_bytes, organisations_snapshot

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_importing_a_file_prints_the_counts(no_organisations, write_csv):
    path = write_csv(DEFAULT_CSV.read_bytes())

    out, _ = run(str(path))

    assert out.strip() == "Imported 4 regions, 27 area teams, 211 CCGs (242 created, 0 updated)."
    assert organisation_counts() == {"regions": 4, "area_teams": 27, "ccgs": 211}


def test_without_a_path_the_bundled_2013_list_is_imported(no_organisations):
    out, _ = run()

    assert out.strip() == "Imported 4 regions, 27 area teams, 211 CCGs (242 created, 0 updated)."


def test_importing_again_reports_nothing_created_or_updated(imported):
    out, _ = run(str(DEFAULT_CSV))

    assert out.strip() == "Imported 4 regions, 27 area teams, 211 CCGs (0 created, 0 updated)."
    assert organisations_snapshot() == imported


def test_a_changed_name_reports_one_update(imported, rows, write_csv):
    rows[0]["ccg_name"] = "NHS Eastern Cheshire Clinical Commissioning Group"

    out, _ = run(str(write_csv(csv_bytes(rows))))

    assert out.strip() == "Imported 4 regions, 27 area teams, 211 CCGs (0 created, 1 updated)."


def _missing_column(rows):
    return csv_bytes(rows, columns=[c for c in REQUIRED_COLUMNS if c != "region_name"])


def _duplicate(rows):
    return csv_bytes([*rows, dict(rows[0])])


def _empty_name(rows):
    rows[1]["area_team_name"] = ""
    return csv_bytes(rows)


def _windows_1252(rows):
    rows[0]["ccg_name"] = "NHS Eastern Cheshire CCG – café"
    return csv_bytes(rows, encoding="cp1252")


@pytest.mark.parametrize(
    ("make_file", "problem"),
    [
        (_missing_column, "Line 1: missing column(s): region_name."),
        (_duplicate, "Line 213: CCG 01C appears again (first on line 2)."),
        (_empty_name, "Line 3: area_team_name is empty."),
        (_windows_1252, "The file is not UTF-8 text (line 2)."),
        (lambda rows: b"", "Line 1: the file is empty"),
        (lambda rows: csv_bytes([]), "The file has only a header row (line 1) and no organisations after it."),
    ],
    ids=["missing-column", "duplicate", "empty-name", "windows-1252", "empty", "header-only"],
)
def test_a_bad_file_is_a_command_error_naming_the_problem_and_nothing_is_written(
    imported, rows, write_csv, make_file, problem
):
    path = write_csv(make_file(rows))

    with pytest.raises(CommandError) as caught:
        run(str(path))

    message = str(caught.value)
    assert message.startswith("Nothing was imported.\n")
    assert problem in message
    assert organisations_snapshot() == imported


def test_a_missing_file_is_a_command_error(imported, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "missing.csv"))

    assert organisations_snapshot() == imported
