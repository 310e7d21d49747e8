"""Writes of organisations: the idempotent import of the region → area team → CCG structure."""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from core.imports import MSG_NOT_UTF8, ImportFileError, csv_checked, file_decode
from core.services import audit_act

__all__ = ["MSG_NOT_UTF8", "OrganisationImportError", "organisations_import"]
from organisations.models import CCG, AreaTeam, Region

REQUIRED_COLUMNS = (
    "ccg_code",
    "ccg_gss_code",
    "ccg_name",
    "area_team_code",
    "area_team_gss_code",
    "area_team_name",
    "region_code",
    "region_gss_code",
    "region_name",
)
# The four NHS England commissioning regions of April 2013; anything else is a typo.
KNOWN_REGIONS = {"Y54", "Y55", "Y56", "Y57"}
DEFAULT_CSV = Path(__file__).resolve().parent / "data" / "ccgs_2013.csv"
ODS_CODE = re.compile(r"[A-Z0-9]{3}")
GSS_CODE = re.compile(r"[A-Z][0-9]{8}")
NAME_MAX_LENGTH = 200

MSG_EMPTY_FILE = "Line 1: the file is empty; it needs a header row ({columns}) and one line per CCG."
MSG_MISSING_COLUMNS = "Line 1: missing column(s): {columns}."
MSG_EMPTY = "Line {line}: {column} is empty."
MSG_BAD_ODS_CODE = "Line {line}: {column} {code!r} is not an ODS code (3 letters or digits)."
MSG_BAD_GSS_CODE = "Line {line}: {column} {code!r} is not a GSS code (a letter and 8 digits, e.g. E38000056)."
MSG_NAME_TOO_LONG = "Line {line}: {column} is longer than {max} characters."
MSG_UNKNOWN_REGION = "Line {line}: unknown region code {code!r} (expected one of Y54, Y55, Y56, Y57)."
MSG_DUPLICATE_CCG = "Line {line}: CCG {code} appears again (first on line {first})."
MSG_TWO_PARENTS = "Line {line}: {kind} {code} is under {parent} here but under {first_parent} on line {first}."
MSG_TWO_NAMES = "Line {line}: {kind} {code} is named {name!r} here but {first_name!r} on line {first}."
MSG_TWO_GSS_CODES = "Line {line}: {kind} {code} has GSS code {gss!r} here but {first_gss!r} on line {first}."
MSG_NO_ROWS = "The file has only a header row (line 1) and no organisations after it."


# The file was refused; ``problems`` (and ``details``) list every problem found, each naming its line.
OrganisationImportError = ImportFileError


@dataclass
class _Parsed:
    regions: dict[str, dict] = field(default_factory=dict)
    area_teams: dict[str, dict] = field(default_factory=dict)
    ccgs: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    regions: int
    area_teams: int
    ccgs: int
    created: int
    updated: int


def _check_entity(
    problems: list[str],
    seen: dict,
    kind: str,
    code: str,
    line: int,
    *,
    name: str,
    gss: str,
    parent: str | None = None,
    parent_kind: str = "",
):
    """Record an organisation the first time it is seen; later lines must agree with the first."""
    first = seen.get(code)
    if first is None:
        seen[code] = {"line": line, "name": name, "parent": parent, "gss": gss}
        return
    if parent is not None and first["parent"] != parent:
        problems.append(
            MSG_TWO_PARENTS.format(
                line=line,
                kind=kind,
                code=code,
                parent=f"{parent_kind} {parent}",
                first_parent=f"{parent_kind} {first['parent']}",
                first=first["line"],
            )
        )
    if first["name"] != name:
        problems.append(
            MSG_TWO_NAMES.format(
                line=line, kind=kind, code=code, name=name, first_name=first["name"], first=first["line"]
            )
        )
    if first["gss"] != gss:
        problems.append(
            MSG_TWO_GSS_CODES.format(
                line=line, kind=kind, code=code, gss=gss, first_gss=first["gss"], first=first["line"]
            )
        )


def _format_problems(line: int, values: dict[str, str]) -> list[str]:
    """Return what is wrong with the codes and names on one line (empty values are reported elsewhere)."""
    problems = []
    for column, value in values.items():
        if not value:
            continue
        if column.endswith("gss_code"):
            if not GSS_CODE.fullmatch(value):
                problems.append(MSG_BAD_GSS_CODE.format(line=line, column=column, code=value))
        elif column.endswith("_code"):
            if not ODS_CODE.fullmatch(value):
                problems.append(MSG_BAD_ODS_CODE.format(line=line, column=column, code=value))
        elif len(value) > NAME_MAX_LENGTH:
            problems.append(MSG_NAME_TOO_LONG.format(line=line, column=column, max=NAME_MAX_LENGTH))
    return problems


def _row_values(row: dict) -> dict[str, str]:
    """Return the required columns of a row, stripped, with codes in upper case."""
    values = {}
    for column in REQUIRED_COLUMNS:
        value = (row.get(column) or "").strip()
        values[column] = value.upper() if column.endswith("_code") else value
    return values


def _parse(text: str) -> _Parsed:
    if not text.strip():
        raise OrganisationImportError([MSG_EMPTY_FILE.format(columns=",".join(REQUIRED_COLUMNS))])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise OrganisationImportError([MSG_MISSING_COLUMNS.format(columns=", ".join(missing))])
    reader.fieldnames = header
    parsed = _Parsed()
    problems: list[str] = []
    for row in csv_checked(reader):
        line = reader.line_num
        values = _row_values(row)
        if not any(values.values()):
            continue
        empties = [c for c in REQUIRED_COLUMNS if not values[c] and not c.endswith("gss_code")]
        problems.extend(MSG_EMPTY.format(line=line, column=column) for column in empties)
        malformed = _format_problems(line, values)
        problems.extend(malformed)
        if empties or malformed:
            continue
        region, area_team, ccg = values["region_code"], values["area_team_code"], values["ccg_code"]
        if region not in KNOWN_REGIONS:
            problems.append(MSG_UNKNOWN_REGION.format(line=line, code=region))
            continue
        first_ccg = parsed.ccgs.get(ccg)
        if first_ccg is not None and first_ccg["parent"] != area_team:
            # The same CCG under two area teams is a structural error, not merely a repeated line.
            problems.append(
                MSG_TWO_PARENTS.format(
                    line=line,
                    kind="CCG",
                    code=ccg,
                    parent=f"area team {area_team}",
                    first_parent=f"area team {first_ccg['parent']}",
                    first=first_ccg["line"],
                )
            )
            continue
        if first_ccg is not None:
            problems.append(MSG_DUPLICATE_CCG.format(line=line, code=ccg, first=first_ccg["line"]))
            continue
        _check_entity(
            problems, parsed.regions, "Region", region, line, name=values["region_name"], gss=values["region_gss_code"]
        )
        _check_entity(
            problems,
            parsed.area_teams,
            "Area team",
            area_team,
            line,
            name=values["area_team_name"],
            gss=values["area_team_gss_code"],
            parent=region,
            parent_kind="region",
        )
        parsed.ccgs[ccg] = {
            "line": line,
            "name": values["ccg_name"],
            "parent": area_team,
            "gss": values["ccg_gss_code"],
        }
    if problems:
        raise OrganisationImportError(problems)
    if not parsed.ccgs:
        raise OrganisationImportError([MSG_NO_ROWS])
    return parsed


class _Upserter:
    """Create or update one model's rows by ODS code, reading the existing rows in one query."""

    def __init__(self, model):
        self.model = model
        self.existing = model.objects.in_bulk(field_name="ods_code")
        self.created = self.updated = 0

    def upsert(self, code: str, defaults: dict):
        obj = self.existing.get(code)
        if obj is None:
            self.created += 1
            return self.model.objects.create(ods_code=code, **defaults)
        # Compare foreign keys by id so checking an unchanged row costs no query.
        changed = [
            name
            for name, value in defaults.items()
            if (
                getattr(obj, f"{name}_id") != value.pk
                if isinstance(value, models.Model)
                else getattr(obj, name) != value
            )
        ]
        if changed:
            for name in changed:
                setattr(obj, name, defaults[name])
            obj.save(update_fields=changed)
            self.updated += 1
        return obj


@transaction.atomic
def organisations_import(*, raw: bytes, actor=None) -> ImportResult:
    """Upsert regions, area teams and CCGs from a CSV file's bytes; all or nothing.

    The whole file is checked before anything is written; a refused file raises
    ``OrganisationImportError`` listing every problem with its line number. Organisations missing
    from the file are kept: past responses refer to them.
    """
    parsed = _parse(file_decode(raw))
    region_rows, area_team_rows, ccg_rows = _Upserter(Region), _Upserter(AreaTeam), _Upserter(CCG)
    regions = {
        code: region_rows.upsert(code, {"name": item["name"], "gss_code": item["gss"]})
        for code, item in parsed.regions.items()
    }
    area_teams = {
        code: area_team_rows.upsert(
            code, {"name": item["name"], "gss_code": item["gss"], "region": regions[item["parent"]]}
        )
        for code, item in parsed.area_teams.items()
    }
    for code, item in parsed.ccgs.items():
        ccg_rows.upsert(code, {"name": item["name"], "gss_code": item["gss"], "area_team": area_teams[item["parent"]]})
    rows = (region_rows, area_team_rows, ccg_rows)
    result = ImportResult(
        regions=len(parsed.regions),
        area_teams=len(parsed.area_teams),
        ccgs=len(parsed.ccgs),
        created=sum(r.created for r in rows),
        updated=sum(r.updated for r in rows),
    )
    if result.created or result.updated:
        audit_act(actor=actor, action="organisations_imported", object_type="organisations.ccg", detail=vars(result))
    return result
