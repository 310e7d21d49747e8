"""Respondent-level answers as CSV (admins only, under audit): one row per submitted response.

Each respondent gets a pseudonymous id (an HMAC of the response id under SECRET_KEY: stable between
runs, not reversible without the key). No names, emails or CCG codes; no free text at all, because
comments are not moderated yet and unmoderated text must never leave the service.
"""

import csv
import hashlib
import hmac
import io
from typing import BinaryIO

from django.conf import settings

from exports.renderers import Progress, no_progress
from exports.renderers.safe import neutralise
from surveys.models import Answer, Cycle, Question, QuestionType, Response, ResponseStatus

DONT_KNOW = "DK"
HEADER_FIXED = ("respondent_id", "region_code", "area_team_code", "area_team_name", "rater_group")


def pseudonymous_id(response_id: int, year: int) -> str:
    """Return the respondent's pseudonymous id in ``year``'s file: 16 hex digits of an HMAC-SHA256."""
    message = f"appraise-respondent:{year}:{response_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:16]


def _value(question_type: str, choice: int | None) -> str:
    if choice is None:
        return ""
    if question_type == QuestionType.YES_NO:
        return "yes" if choice else "no"
    return DONT_KNOW if choice == 0 else str(choice)


def render(cycle: Cycle, out: BinaryIO, progress: Progress = no_progress) -> None:
    """Write the respondent-level CSV of ``cycle`` to ``out``, rows ordered by pseudonymous id."""
    questions = list(
        Question.objects.filter(questionnaire__cycle=cycle)
        .exclude(type=QuestionType.FREE_TEXT)
        .order_by("section__order", "order", "pk")
        .values_list("pk", "code", "type")
    )
    column = {pk: n for n, (pk, _, _) in enumerate(questions)}
    types = {pk: qtype for pk, _, qtype in questions}
    responses = {
        pk: [pseudonymous_id(pk, cycle.year), region, at_code, at_name, rater_group] + [""] * len(questions)
        for pk, region, at_code, at_name, rater_group in Response.objects.filter(
            cycle=cycle, status=ResponseStatus.SUBMITTED
        ).values_list("pk", "area_team__region__ods_code", "area_team__ods_code", "area_team__name", "rater_group")
    }
    progress(20, f"Reading the answers of {len(responses)} respondents")
    answers = (
        Answer.objects.filter(cycle=cycle, response__status=ResponseStatus.SUBMITTED, question_id__in=column)
        .values_list("response_id", "question_id", "choice")
        .iterator(chunk_size=10_000)
    )
    for response_id, question_id, choice in answers:
        row = responses.get(response_id)
        if row is not None:
            row[len(HEADER_FIXED) + column[question_id]] = _value(types[question_id], choice)
    progress(80, "Writing the file")
    text = io.StringIO(newline="")
    for line in (
        f"# NHS Clinical Commissioners: appraisal of NHS England {cycle.year}. Respondent-level answers.",
        "# CONFIDENTIAL: for NHSCC analysis only. Pseudonymous ids; no names, emails or CCG codes.",
        "# rater_group: clinical, managerial, financial (CCG leads); practice, patients, local_government "
        "(partners); self (the area team's own self-assessment).",
        "# Agreement: 5 strongly agree, 4 tend to agree, 3 neither, 2 tend to disagree, 1 strongly disagree, "
        f"{DONT_KNOW} don't know; blank = not answered. Yes/no questions: yes or no.",
        "# Free-text comments are NOT included: they are not moderated, and unmoderated text is never exported.",
    ):
        text.write(line + "\r\n")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([*HEADER_FIXED, *(neutralise(code) for _, code, _ in questions)])
    for row in sorted(responses.values()):
        writer.writerow([neutralise(value) for value in row])
    out.write(text.getvalue().encode("utf-8"))
    progress(100, "Done")
