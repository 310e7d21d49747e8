"""Writes of questionnaires: the default seed, the copy into a new cycle, and edits before fieldwork."""

import re

from django.db import transaction
from django.db.models import F

from core.errors import Conflict, DomainError
from core.services import audit_act
from surveys.defaults import COMMENT_PREFIX, DEFAULT_SECTIONS, comment_code, comment_text, default_wordings
from surveys.models import (
    QUESTIONNAIRE_MAX_GROUPS,
    Cycle,
    CycleState,
    Question,
    Questionnaire,
    QuestionType,
    Section,
)
from ways_of_working.models import Behaviour, Role, Statement
from ways_of_working.services import framework_seed

MSG_QUESTIONNAIRE_EXISTS = "This cycle already has a questionnaire."
MSG_FROZEN = "The questionnaire is frozen: the cycle has opened, so its questions can no longer change."
MSG_CODE_INVALID = "A question code is 1 to 40 capital letters, digits and hyphens, starting with a letter or digit."
MSG_CODE_TAKEN = "There is already a question with the code {code} in this questionnaire."
MSG_TEXT_EMPTY = "A question needs some text."
MSG_TYPE_INVALID = "A question's type is agreement, free_text or yes_no."
MSG_SECTION_ELSEWHERE = "That section belongs to another questionnaire."
MSG_TOO_MANY_GROUPS = (
    "This would make {count} behaviour, role and overall groups, and a questionnaire can have at most {limit}: "
    "tag the statement with a behaviour or role the questionnaire already asks about"
)

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")


def _questionnaire_lock_editable(questionnaire_id: int) -> Questionnaire:
    """Lock the questionnaire row (edits bump its version) and refuse if it is frozen."""
    questionnaire = Questionnaire.objects.select_for_update().select_related("cycle").get(pk=questionnaire_id)
    if questionnaire.frozen_at is not None or questionnaire.cycle.state != CycleState.DRAFT:
        raise Conflict(MSG_FROZEN, code="questionnaire_frozen")
    return questionnaire


def questionnaire_groups_count(
    *,
    questionnaire_id: int,
    behaviour_id: int | None = None,
    role_id: int | None = None,
    replacing_id: int | None = None,
) -> int:
    """Return how many behaviour, role and overall groups the questionnaire's agreement statements count in.

    With ``behaviour_id``/``role_id``: as it would be with one more agreement statement so tagged, in
    place of the question ``replacing_id`` if given (an edit of its tags).
    """
    questions = Question.objects.filter(questionnaire_id=questionnaire_id, type=QuestionType.AGREEMENT)
    if replacing_id is not None:
        questions = questions.exclude(pk=replacing_id)
    tags = set(questions.values_list("behaviour_id", "role_id").distinct())
    adding = behaviour_id is not None or role_id is not None
    if adding:
        tags.add((behaviour_id, role_id))
    behaviours = {b for b, _ in tags if b is not None}
    roles = {r for _, r in tags if r is not None}
    overall = 1 if tags else 0
    return len(behaviours) + len(roles) + overall


def _groups_check(questionnaire: Questionnaire, *, behaviour_id, role_id, replacing_id=None) -> None:
    """Refuse an agreement statement so tagged if it would take the questionnaire past its group limit.

    The caller holds the questionnaire's lock, so two edits cannot each pass the check together.
    """
    count = questionnaire_groups_count(
        questionnaire_id=questionnaire.pk, behaviour_id=behaviour_id, role_id=role_id, replacing_id=replacing_id
    )
    if count > QUESTIONNAIRE_MAX_GROUPS:
        raise DomainError(
            MSG_TOO_MANY_GROUPS.format(count=count, limit=QUESTIONNAIRE_MAX_GROUPS), code="too_many_groups"
        )


def _version_bump(questionnaire: Questionnaire) -> None:
    Questionnaire.objects.filter(pk=questionnaire.pk).update(version=F("version") + 1)
    questionnaire.refresh_from_db(fields=["version"])


def _statement_question(*, section: Section, order: int, statement: Statement) -> Question:
    """Return, unsaved, the question of ``section`` that asks a framework library statement as the library words it,
    with the standard wordings of the rater groups that read it otherwise (the self-assessment's)."""
    return Question(
        questionnaire_id=section.questionnaire_id,
        section=section,
        order=order,
        code=statement.code,
        text=statement.text,
        wordings=default_wordings(statement.code),
        type=QuestionType.AGREEMENT,
        statement=statement,
        behaviour=statement.behaviour,
        role=statement.role,
        positively_worded=statement.positively_worded,
    )


def _comment_box(*, section: Section, order: int) -> Question:
    """Return, unsaved, the free-text comment box that closes ``section``."""
    return Question(
        questionnaire_id=section.questionnaire_id,
        section=section,
        order=order,
        code=comment_code(section.code),
        text=comment_text(section.title),
        type=QuestionType.FREE_TEXT,
    )


def _statements_for(spec) -> list[Statement]:
    qs = Statement.objects.select_related("behaviour", "role").order_by("order", "code")
    if spec.roles:
        return list(qs.filter(role__code__in=spec.roles))
    return list(qs.filter(behaviour__code=spec.behaviour, role__isnull=True))


@transaction.atomic
def questionnaire_seed_default(*, cycle: Cycle) -> Questionnaire:
    """Create ``cycle``'s questionnaire from the framework: about six sections, each ending with a comment box."""
    if Questionnaire.objects.filter(cycle=cycle).exists():
        raise Conflict(MSG_QUESTIONNAIRE_EXISTS, code="questionnaire_exists")
    framework_seed()
    questionnaire = Questionnaire.objects.create(cycle=cycle)
    questions = []
    for section_order, spec in enumerate(DEFAULT_SECTIONS, start=1):
        section = Section.objects.create(
            questionnaire=questionnaire, order=section_order, code=spec.code, title=spec.title, intro=spec.intro
        )
        statements = _statements_for(spec)
        questions += [
            _statement_question(section=section, order=order, statement=statement)
            for order, statement in enumerate(statements, start=1)
        ]
        questions.append(_comment_box(section=section, order=len(statements) + 1))
    Question.objects.bulk_create(questions)
    return questionnaire


@transaction.atomic
def questionnaire_copy(*, source: Questionnaire, cycle: Cycle) -> Questionnaire:
    """Create ``cycle``'s questionnaire as a copy of ``source``: same sections, questions and codes."""
    if Questionnaire.objects.filter(cycle=cycle).exists():
        raise Conflict(MSG_QUESTIONNAIRE_EXISTS, code="questionnaire_exists")
    questionnaire = Questionnaire.objects.create(cycle=cycle)
    sections = {}
    for section in source.sections.order_by("order", "pk"):
        sections[section.pk] = Section.objects.create(
            questionnaire=questionnaire,
            order=section.order,
            code=section.code,
            title=section.title,
            intro=section.intro,
        )
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            section=sections[question.section_id],
            order=question.order,
            code=question.code,
            text=question.text,
            wordings=question.wordings,
            type=question.type,
            statement_id=question.statement_id,
            behaviour_id=question.behaviour_id,
            role_id=question.role_id,
            positively_worded=question.positively_worded,
            offers_not_applicable=question.offers_not_applicable,
        )
        for question in source.questions.order_by("section__order", "order", "pk")
    )
    return questionnaire


def _next_order(section: Section) -> int:
    """Return the place for a new question: last, but before the section's closing comment box."""
    last = section.questions.order_by("-order", "-pk").first()
    if last is None:
        return 1
    if last.code.startswith(COMMENT_PREFIX):
        last.order += 1
        last.save(update_fields=["order"])
        return last.order - 1
    return last.order + 1


@transaction.atomic
def question_add(
    *,
    section: Section,
    code: str,
    text: str = "",
    type: str = QuestionType.AGREEMENT,  # noqa: A002 - the model's field name
    statement: Statement | None = None,
    behaviour: Behaviour | None = None,
    role: Role | None = None,
    positively_worded: bool = True,
    order: int | None = None,
    actor=None,
) -> Question:
    """Add a question to a draft questionnaire; with ``statement``, its text and tags are copied from it."""
    questionnaire = _questionnaire_lock_editable(section.questionnaire_id)
    code = code.strip().upper()
    if not _CODE.match(code):
        raise DomainError(MSG_CODE_INVALID, code="invalid_code")
    if type not in QuestionType.values:
        raise DomainError(MSG_TYPE_INVALID, code="invalid_type")
    if Question.objects.filter(questionnaire=questionnaire, code=code).exists():
        raise Conflict(MSG_CODE_TAKEN.format(code=code), code="code_taken")
    if statement is not None:
        text = text.strip() or statement.text
        behaviour, role = statement.behaviour, statement.role
        positively_worded = statement.positively_worded
    if not text.strip():
        raise DomainError(MSG_TEXT_EMPTY, code="text_empty")
    if type == QuestionType.AGREEMENT:
        _groups_check(
            questionnaire, behaviour_id=behaviour.pk if behaviour else None, role_id=role.pk if role else None
        )
    if order is None:
        order = _next_order(section)
    question = Question.objects.create(
        questionnaire=questionnaire,
        section=section,
        order=order,
        code=code,
        text=text.strip(),
        type=type,
        statement=statement,
        behaviour=behaviour,
        role=role,
        positively_worded=positively_worded,
    )
    _version_bump(questionnaire)
    audit_act(actor=actor, action="question_added", obj=question, detail={"code": code})
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    text: str | None = None,
    positively_worded: bool | None = None,
    order: int | None = None,
    section: Section | None = None,
    actor=None,
) -> Question:
    """Change a question of a draft questionnaire; its code never changes (results are tracked by code)."""
    questionnaire = _questionnaire_lock_editable(question.questionnaire_id)
    changed = []
    if text is not None:
        if not text.strip():
            raise DomainError(MSG_TEXT_EMPTY, code="text_empty")
        question.text = text.strip()
        changed.append("text")
    if positively_worded is not None:
        question.positively_worded = positively_worded
        changed.append("positively_worded")
    if order is not None:
        question.order = order
        changed.append("order")
    if section is not None:
        if section.questionnaire_id != questionnaire.pk:
            raise DomainError(MSG_SECTION_ELSEWHERE, code="invalid_section")
        question.section = section
        changed.append("section")
    if changed:
        question.save(update_fields=changed)
        _version_bump(questionnaire)
        audit_act(
            actor=actor, action="question_updated", obj=question, detail={"code": question.code, "fields": changed}
        )
    return question


@transaction.atomic
def question_remove(*, question: Question, actor=None) -> None:
    """Remove a question from a draft questionnaire."""
    questionnaire = _questionnaire_lock_editable(question.questionnaire_id)
    audit_act(actor=actor, action="question_removed", obj=question, detail={"code": question.code})
    question.delete()
    _version_bump(questionnaire)
