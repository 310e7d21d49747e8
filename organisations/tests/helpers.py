"""Helpers for the organisations tests: CSV files derived from the bundled list, and DB snapshots."""

import csv
import io

from organisations.models import CCG, AreaTeam, Region
from organisations.services import DEFAULT_CSV, REQUIRED_COLUMNS

# Data rows start on line 2 of the file, after the header.
FIRST_DATA_LINE = 2


def real_rows() -> list[dict[str, str]]:
    """Return the bundled 2013 list as dicts, in file order (row i is on line i + 2)."""
    with DEFAULT_CSV.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def csv_bytes(rows: list[dict[str, str]], *, columns=REQUIRED_COLUMNS, encoding: str = "utf-8") -> bytes:
    """Return ``rows`` as a CSV file with ``columns`` (extra keys in a row are dropped)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def organisations_snapshot() -> dict[str, list[tuple]]:
    """Return every organisation row, ids and all, so a test can tell whether anything changed."""
    return {
        "regions": list(Region.objects.order_by("id").values_list("id", "ods_code", "gss_code", "name")),
        "area_teams": list(
            AreaTeam.objects.order_by("id").values_list("id", "ods_code", "gss_code", "name", "region_id")
        ),
        "ccgs": list(CCG.objects.order_by("id").values_list("id", "ods_code", "gss_code", "name", "area_team_id")),
    }
