"""Writes of organisations: the idempotent import of the region → area team → CCG structure."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from core.errors import DomainError
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

MSG_NOT_UTF8 = "The file is not UTF-8 text (line {line}). Save it as UTF-8 CSV and try again."
MSG_MISSING_COLUMNS = "Line 1: missing column(s): {columns}."
MSG_EMPTY = "Line {line}: {column} is empty."
MSG_UNKNOWN_REGION = "Line {line}: unknown region code {code!r} (expected one of Y54, Y55, Y56, Y57)."
MSG_DUPLICATE_CCG = "Line {line}: CCG {code} appears again (first on line {first})."
MSG_TWO_PARENTS = "Line {line}: {kind} {code} is under {parent} here but under {first_parent} on line {first}."
MSG_TWO_NAMES = "Line {line}: {kind} {code} is named {name!r} here but {first_name!r} on line {first}."
MSG_NO_ROWS = "The file has no organisations in it."


class OrganisationImportError(DomainError):
    """The file was refused; ``details`` lists every problem found, each naming its line."""

    def __init__(self, problems: list[str]):
        super().__init__(
            problems[0] if len(problems) == 1 else f"{len(problems)} problems in the file.",
            code="invalid_file",
            details=problems,
        )
        self.problems = problems


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


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise OrganisationImportError([MSG_NOT_UTF8.format(line=line)]) from None


def _check_entity(problems, seen: dict, kind: str, code: str, line: int, *, name: str, parent: str | None, gss: str):
    first = seen.get(code)
    if first is None:
        seen[code] = {"line": line, "name": name, "parent": parent, "gss": gss}
        return
    if parent is not None and first["parent"] != parent:
        problems.append(
            MSG_TWO_PARENTS.format(
                line=line, kind=kind, code=code, parent=parent, first_parent=first["parent"], first=first["line"]
            )
        )
    if first["name"] != name:
        problems.append(
            MSG_TWO_NAMES.format(
                line=line, kind=kind, code=code, name=name, first_name=first["name"], first=first["line"]
            )
        )


def _parse(text: str) -> _Parsed:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise OrganisationImportError([MSG_MISSING_COLUMNS.format(columns=", ".join(missing))])
    reader.fieldnames = header
    parsed = _Parsed()
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        values = {c: (row.get(c) or "").strip() for c in REQUIRED_COLUMNS}
        if not any(values.values()):
            continue
        empties = [c for c in REQUIRED_COLUMNS if not values[c] and not c.endswith("gss_code")]
        for column in empties:
            problems.append(MSG_EMPTY.format(line=line, column=column))
        if empties:
            continue
        region, area_team, ccg = (
            values["region_code"].upper(),
            values["area_team_code"].upper(),
            values["ccg_code"].upper(),
        )
        if region not in KNOWN_REGIONS:
            problems.append(MSG_UNKNOWN_REGION.format(line=line, code=values["region_code"]))
            continue
        if ccg in parsed.ccgs:
            problems.append(MSG_DUPLICATE_CCG.format(line=line, code=ccg, first=parsed.ccgs[ccg]["line"]))
            continue
        _check_entity(
            problems,
            parsed.regions,
            "Region",
            region,
            line,
            name=values["region_name"],
            parent=None,
            gss=values["region_gss_code"],
        )
        _check_entity(
            problems,
            parsed.area_teams,
            "Area team",
            area_team,
            line,
            name=values["area_team_name"],
            parent=region,
            gss=values["area_team_gss_code"],
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


def _upsert(model, code: str, defaults: dict) -> tuple[object, int, int]:
    obj = model.objects.filter(ods_code=code).first()
    if obj is None:
        return model.objects.create(ods_code=code, **defaults), 1, 0
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save(update_fields=changed)
        return obj, 0, 1
    return obj, 0, 0


@transaction.atomic
def organisations_import(*, raw: bytes) -> ImportResult:
    """Upsert regions, area teams and CCGs from a CSV file's bytes; all or nothing.

    The whole file is checked before anything is written; a refused file raises
    ``OrganisationImportError`` listing every problem with its line number.
    """
    parsed = _parse(_decode(raw))
    created = updated = 0
    regions = {}
    for code, item in parsed.regions.items():
        regions[code], c, u = _upsert(Region, code, {"name": item["name"], "gss_code": item["gss"]})
        created, updated = created + c, updated + u
    area_teams = {}
    for code, item in parsed.area_teams.items():
        area_teams[code], c, u = _upsert(
            AreaTeam, code, {"name": item["name"], "gss_code": item["gss"], "region": regions[item["parent"]]}
        )
        created, updated = created + c, updated + u
    for code, item in parsed.ccgs.items():
        _, c, u = _upsert(
            CCG, code, {"name": item["name"], "gss_code": item["gss"], "area_team": area_teams[item["parent"]]}
        )
        created, updated = created + c, updated + u
    return ImportResult(
        regions=len(parsed.regions),
        area_teams=len(parsed.area_teams),
        ccgs=len(parsed.ccgs),
        created=created,
        updated=updated,
    )
