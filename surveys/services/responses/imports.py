"""A contractor's file of responses (paper or telephone), checked whole and applied in one pass."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from core.errors import Conflict
from core.services import audit_act
from surveys.answers import FREE_TEXT_MAX_LENGTH
from surveys.models import (
    Cycle,
    CycleState,
    Invitation,
    Question,
    QuestionType,
    Response,
    ResponseStatus,
)
from surveys.services.files import MSG_NO_ROWS, ImportFileError, csv_checked, file_decode
from surveys.services.import_rows import answer_row, answer_rows_insert, responses_mark_imported
from surveys.services.responses.drafts import _questions
from surveys.signals import responses_imported

# The columns beside the question codes; ``rater_group`` is optional and, where given, must be the invitation's.
META_COLUMNS = {"email", "submitted_at", "rater_group"}
# A contractor's file is applied this many responses at a time (about 40 answers each).
IMPORT_CHUNK = 1000


MSG_IMPORT_STATE = "Responses can only be imported into an open or closed cycle; the {year} cycle is {state}."
MSG_NO_EMAIL_COLUMN = 'Line 1: missing column "email".'
MSG_COLUMN_UNKNOWN = 'Line 1, column {column} ("{name}"): no question has this code in the {year} questionnaire.'
MSG_COLUMN_DUPLICATE = 'Line 1, column {column} ("{name}"): this column appears again (first in column {first}).'
MSG_ROW_LENGTH = "Line {line}: {count} values, but the header has {expected} columns."
MSG_EMAIL_EMPTY = 'Line {line}, column 1 ("email"): the email address is empty.'
MSG_NOT_INVITED = 'Line {line}, column {column} ("email"): {email} is not invited to the {year} cycle.'
MSG_EMAIL_DUPLICATE = 'Line {line}, column {column} ("email"): {email} appears again (first on line {first}).'
MSG_LEAD_SUBMITTED = 'Line {line}, column {column} ("email"): {email} has already submitted a response.'
MSG_DATE_INVALID = (
    'Line {line}, column {column} ("submitted_at"): {value!r} is not a date and time in ISO 8601 form '
    "(for example 2014-06-30T14:05:00+01:00)."
)
MSG_DATE_FUTURE = 'Line {line}, column {column} ("submitted_at"): {value!r} is in the future.'
MSG_AGREEMENT_VALUE = 'Line {line}, column {column} ("{code}"): {value!r} is not 5, 4, 3, 2, 1, DK or empty.'
MSG_YES_NO_VALUE = 'Line {line}, column {column} ("{code}"): {value!r} is not yes, no or empty.'
MSG_TEXT_TOO_LONG = f'Line {{line}}, column {{column}} ("{{code}}"): longer than {FREE_TEXT_MAX_LENGTH} characters.'
MSG_ROW_EMPTY = "Line {line}: no answers."
MSG_GROUP_EMPTY = 'Line {line}, column {column} ("rater_group"): empty; give the rater group of each line.'
MSG_GROUP_MISMATCH = (
    'Line {line}, column {column} ("rater_group"): {email} is invited to the {year} cycle as {invited} '
    "({invited_code}), not {given!r}. Check the file is the one for this group."
)
MSG_WEB_DRAFT = (
    'Line {line}, column {column} ("email"): {email} has a draft saved on the web ({count} answers); importing '
    "would replace it. Check with the lead, then import again with --replace-drafts to replace it."
)


@dataclass(frozen=True)
class ResponseImportResult:
    responses: int
    answers: int


@dataclass(frozen=True)
class _ImportRow:
    line: int
    invitation: Invitation
    submitted_at: dt.datetime | None
    answers: dict


def _import_value(question: Question, raw: str, where: dict, problems: list[str]):
    value = raw.strip()
    if not value:
        return None
    if question.type == QuestionType.AGREEMENT:
        if value.upper() == "DK":
            return 0
        if value in {"1", "2", "3", "4", "5"}:
            return int(value)
        problems.append(MSG_AGREEMENT_VALUE.format(value=raw, **where))
        return None
    if question.type == QuestionType.YES_NO:
        if value.lower() in {"yes", "no"}:
            return value.lower() == "yes"
        problems.append(MSG_YES_NO_VALUE.format(value=raw, **where))
        return None
    if len(value) > FREE_TEXT_MAX_LENGTH:
        problems.append(MSG_TEXT_TOO_LONG.format(**where))
        return None
    return value


def _import_datetime(raw: str, where: dict, now: dt.datetime, problems: list[str]) -> dt.datetime | None:
    value = raw.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        problems.append(MSG_DATE_INVALID.format(value=raw, **where))
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > now:
        problems.append(MSG_DATE_FUTURE.format(value=raw, **where))
        return None
    return parsed


def _check_group(raw: str, invitation: Invitation | None, email: str, cycle: Cycle, where: dict, problems: list[str]):
    """Refuse a line whose ``rater_group`` is empty or not its invitation's: a leads' file cannot load partners'."""
    given = raw.strip().lower()
    if not given:
        problems.append(MSG_GROUP_EMPTY.format(line=where["line"], column=where["column"]))
    elif invitation is not None and given != invitation.rater_group:
        problems.append(
            MSG_GROUP_MISMATCH.format(
                line=where["line"],
                column=where["column"],
                email=email,
                year=cycle.year,
                invited=invitation.get_rater_group_display().lower(),
                invited_code=invitation.rater_group,
                given=raw.strip(),
            )
        )


def _responses_parse(
    cycle: Cycle, text: str, now: dt.datetime, *, replace_drafts: bool, progress: Callable[[int], None] | None = None
) -> list[_ImportRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    questions = _questions(cycle.pk)
    problems: list[str] = []
    if "email" not in [h.lower() for h in header]:
        raise ImportFileError([MSG_NO_EMAIL_COLUMN])
    columns: dict[int, str] = {}  # 0-based index → "email", "submitted_at" or a question code
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.lower() if name.lower() in META_COLUMNS else name.upper()
        if key in seen:
            problems.append(MSG_COLUMN_DUPLICATE.format(column=index + 1, name=name, first=seen[key]))
            continue
        seen[key] = index + 1
        if key not in META_COLUMNS and key not in questions:
            problems.append(MSG_COLUMN_UNKNOWN.format(column=index + 1, name=name, year=cycle.year))
            continue
        columns[index] = key
    raw_rows = [(reader.line_num, row) for row in csv_checked(reader) if any(cell.strip() for cell in row)]
    if not raw_rows:
        raise ImportFileError([*problems, MSG_NO_ROWS])
    email_index = next(i for i, key in columns.items() if key == "email")
    emails = {row[email_index].strip().lower() for _, row in raw_rows if len(row) > email_index}
    invitations = {
        inv.user.email: inv
        for inv in Invitation.objects.filter(cycle=cycle, user__email__in=emails).select_related("user")
    }
    # The leads' own web drafts (answers saved, not yet submitted), which an import would replace.
    web_drafts = {
        email: len(draft)
        for email, draft in Response.objects.filter(
            invitation__in=invitations.values(), status=ResponseStatus.DRAFT
        ).values_list("invitation__user__email", "draft")
        if draft
    }
    first_line: dict[str, int] = {}
    rows: list[_ImportRow] = []
    for line, row in raw_rows:
        if progress is not None:
            progress(line)
        if len(row) != len(header):
            problems.append(MSG_ROW_LENGTH.format(line=line, count=len(row), expected=len(header)))
            continue
        row_problems: list[str] = []
        email = row[email_index].strip().lower()
        where = {"line": line, "column": email_index + 1}
        invitation = invitations.get(email)
        if not email:
            row_problems.append(MSG_EMAIL_EMPTY.format(line=line))
        elif email in first_line:
            row_problems.append(MSG_EMAIL_DUPLICATE.format(email=email, first=first_line[email], **where))
        elif invitation is None:
            row_problems.append(MSG_NOT_INVITED.format(email=email, year=cycle.year, **where))
        elif invitation.submitted_at is not None:
            row_problems.append(MSG_LEAD_SUBMITTED.format(email=email, **where))
        elif email in web_drafts and not replace_drafts:
            row_problems.append(MSG_WEB_DRAFT.format(email=email, count=web_drafts[email], **where))
        first_line.setdefault(email, line)
        submitted_at, answers = None, {}
        for index, key in columns.items():
            where = {"line": line, "column": index + 1, "code": key}
            if key == "submitted_at":
                submitted_at = _import_datetime(row[index], where, now, row_problems)
            elif key == "rater_group":
                _check_group(row[index], invitation, email, cycle, where, row_problems)
            elif key != "email":
                value = _import_value(questions[key], row[index], where, row_problems)
                if value is not None:
                    answers[key] = value
        if not answers and not row_problems:
            row_problems.append(MSG_ROW_EMPTY.format(line=line))
        problems.extend(row_problems)
        if not row_problems:
            rows.append(_ImportRow(line, invitation, submitted_at, answers))
    if problems:
        raise ImportFileError(problems)
    return rows


def _import_responses_locked(cycle: Cycle, chunk: list) -> dict[int, Response]:
    """Return the chunk's responses by invitation id, locked in id order, creating the missing drafts first."""
    invitations = Invitation.objects.select_related("ccg").in_bulk([row.invitation.pk for row in chunk])
    have = set(Response.objects.filter(invitation_id__in=invitations).values_list("invitation_id", flat=True))
    Response.objects.bulk_create(
        Response(
            invitation=invitation,
            cycle=cycle,
            ccg=invitation.ccg,
            area_team_id=invitation.area_team_id,
            rater_group=invitation.rater_group,
        )
        for pk, invitation in invitations.items()
        if pk not in have
    )
    locked = Response.objects.select_for_update().filter(invitation_id__in=invitations).order_by("pk")
    return {response.invitation_id: response for response in locked}


def responses_file_check(
    *, cycle: Cycle, raw: bytes, replace_drafts: bool = False, progress: Callable[[int], None] | None = None
) -> int:
    """Check a contractor's file as ``responses_import`` does, writing nothing; return how many responses it holds.

    ``progress`` is called with each line number as it is checked (the background import shows it).
    """
    if cycle.state not in (CycleState.OPEN, CycleState.CLOSED):
        raise Conflict(MSG_IMPORT_STATE.format(year=cycle.year, state=cycle.state), code="cycle_state")
    text = file_decode(raw)
    return len(_responses_parse(cycle, text, timezone.now(), replace_drafts=replace_drafts, progress=progress))


@transaction.atomic
def responses_import(*, cycle: Cycle, raw: bytes, replace_drafts: bool = False, actor=None) -> ResponseImportResult:
    """Load a contractor's submitted responses from CSV (``email``, optional ``submitted_at`` and ``rater_group``,
    question codes). Where ``rater_group`` is given, each line's must be its invitation's.

    The whole file is checked first; any problem raises ``ImportFileError`` listing every problem with
    its line and column, and nothing is written. Rows are written as the web's submission writes them
    (answers, the response submitted with ``source`` = import, the invitation stamped), in one pass for
    the whole file, and ``responses_imported`` is sent once: so imported responses count exactly like web
    ones, and the figures are rebuilt once for the file. No receipt is emailed, since the lead answered
    the contractor, not this service. A lead's own web draft is replaced
    only with ``replace_drafts``: otherwise the file check names each such line.
    """
    if cycle.state not in (CycleState.OPEN, CycleState.CLOSED):
        raise Conflict(MSG_IMPORT_STATE.format(year=cycle.year, state=cycle.state), code="cycle_state")
    now = timezone.now()
    rows = _responses_parse(cycle, file_decode(raw), now, replace_drafts=replace_drafts)
    questions = _questions(cycle.pk)
    answers = 0
    # One pass, in chunks of responses (bounded memory): lock or create the chunk's responses, load all
    # their answers as plain rows (COPY on PostgreSQL), mark them submitted and stamp their invitations in
    # one statement each. Listeners hear once, for the whole file, after the loop (one rebuild and one
    # publish instead of one per response).
    response_ids: list[int] = []
    with connection.cursor() as cursor:
        for first in range(0, len(rows), IMPORT_CHUNK):
            chunk = rows[first : first + IMPORT_CHUNK]
            responses = _import_responses_locked(cycle, chunk)
            answer_rows = []
            submitted = []
            for row in chunk:
                response = responses[row.invitation.pk]
                if response.status == ResponseStatus.SUBMITTED:
                    # Submitted on the web since the file was checked: refuse the whole file, as for any problem.
                    message = MSG_LEAD_SUBMITTED.format(line=row.line, column=1, email=row.invitation.user.email)
                    raise ImportFileError([message])
                given = {code: value for code, value in row.answers.items() if value is not None}
                answer_rows += [answer_row(response, questions[code], value) for code, value in given.items()]
                submitted.append((response.pk, given, row.submitted_at or now))
                answers += len(row.answers)
            answer_rows_insert(cursor, answer_rows)
            responses_mark_imported(cursor, submitted, now)
            response_ids += [response_id for response_id, _, _ in submitted]
    # Inside the transaction, as for one submission: listeners record their tasks in the outbox with it.
    responses_imported.send(sender=Response, cycle_id=cycle.pk, response_ids=response_ids)
    detail = {"responses": len(rows), "answers": answers, "replace_drafts": replace_drafts}
    audit_act(actor=actor, action="responses_imported", obj=cycle, detail=detail)
    return ResponseImportResult(responses=len(rows), answers=answers)
