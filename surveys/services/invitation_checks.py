"""A check of an invitations file beside the import's own: a CCG has one lead in each role (partners and
self-assessments are left to the import, which gives an area team one self-assessment).

It runs before ``invitations_import`` and writes nothing. Kept apart from the import while that module
is being hardened; it reads only the columns it needs, and leaves every other problem to the import.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import LeadRole
from core.imports import file_decode
from organisations.models import CCG
from surveys.models import Cycle, Invitation

MSG_SECOND_LEAD_IN_FILE = (
    "Line {line}: a second {role} lead for CCG {code} ({email}; the first is {first_email}, on line {first}). "
    "A CCG has one lead in each role: remove one of them."
)
MSG_SECOND_LEAD_INVITED = (
    "Line {line}: CCG {code} already has a {role} lead invited to {year} ({email_invited}); {email} would be a "
    "second. A CCG has one lead in each role: remove the line, or correct the role."
)


def invitation_file_lead_clashes(*, cycle: Cycle, raw: bytes) -> list[str]:
    """Return a problem for each line that gives a CCG a second lead in the same role (in the file or invited)."""
    try:
        text = file_decode(raw)
    except Exception:  # noqa: BLE001 - the import names a file it cannot read
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if not {"email", "ccg_code"} <= set(reader.fieldnames) or not {"lead_role", "rater_group"} & set(reader.fieldnames):
        return []
    invited = {
        (ccg, role): email
        for ccg, role, email in Invitation.objects.filter(cycle=cycle).values_list(
            "ccg__ods_code", "rater_group", "user__email"
        )
    }
    codes = set(CCG.objects.values_list("ods_code", flat=True))
    first: dict[tuple[str, str], tuple[int, str]] = {}
    problems = []
    for row in reader:
        email = (row.get("email") or "").strip().lower()
        code = (row.get("ccg_code") or "").strip().upper()
        # A file with rater groups names a lead's role in either column (the import checks they agree).
        role = (row.get("rater_group") or "").strip().lower() or (row.get("lead_role") or "").strip().lower()
        # A line the import refuses for another reason is left to it, so each line gets the message that helps.
        if code not in codes or role not in LeadRole.values or not _valid_email(email):
            continue
        key = (code, role)
        if key in first and first[key][1] != email:
            line, first_email = first[key]
            problems.append(
                MSG_SECOND_LEAD_IN_FILE.format(
                    line=reader.line_num, role=role, code=code, email=email, first_email=first_email, first=line
                )
            )
            continue
        first.setdefault(key, (reader.line_num, email))
        if key in invited and invited[key] != email:
            problems.append(
                MSG_SECOND_LEAD_INVITED.format(
                    line=reader.line_num, code=code, role=role, year=cycle.year, email_invited=invited[key], email=email
                )
            )
    return problems


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True
