"""The questionnaire editor's writes: what an NHSCC admin changes in a draft cycle's questionnaire.

Every edit locks the questionnaire, refuses once the cycle has opened, bumps the version and is
audited. Question codes are how results are compared year on year, so a statement asked in an
earlier cycle keeps its wording under its code: rewording it gives the new wording a new code.
"""

import re

from django.db import transaction
from django.db.models import Max

from core.errors import Conflict, DomainError
from core.services import audit_record
from surveys.defaults import COMMENT_PREFIX, comment_code
from surveys.models import CycleState, Question, Questionnaire, QuestionType, RaterGroup, Section
from surveys.services.questionnaires import (
    _CODE,
    _comment_box,
    _groups_check,
    _questionnaire_lock_editable,
    _statement_question,
    _version_bump,
)
from ways_of_working.models import Behaviour, Role, Statement

MSG_CODE_INVALID = "Enter a code of 1 to 40 capital letters, digits and hyphens, like PC-VISION"
MSG_CODE_TAKEN = "There is already a question with the code {code} in this questionnaire"
MSG_CODE_USED_BEFORE = (
    "The code {code} was asked in {year} with different wording: choose another code, so that "
    "year-on-year comparison stays honest"
)
MSG_CODE_IN_LIBRARY = "The code {code} belongs to a statement in the framework library: add it from the library"
MSG_TEXT_EMPTY = "Enter the wording of the statement"
MSG_TAG_MISSING = "Choose the behaviour or the role this statement is about (or both)"
MSG_STATEMENT_TAKEN = "The statement {code} is already in this questionnaire"
MSG_SECTION_TITLE_EMPTY = "Enter the title of the section"
MSG_SECTION_CODE_TAKEN = "There is already a section called {title}"
MSG_SECTION_NOT_EMPTY = "Remove the statements in {title} first: a section with statements cannot be removed"
MSG_MOVE_INVALID = "Move up or down"
MSG_COMMENT_BOX_FIXED = "The comment box stays at the end of its section"
MSG_NOT_AGREEMENT = 'Only agreement statements can be negatively worded or offer "Not applicable"'

UP, DOWN = "up", "down"


def _actor_detail(questionnaire: Questionnaire, **detail) -> dict:
    return {"year": questionnaire.cycle.year, "version": questionnaire.version, **detail}


def _audit(*, actor, action: str, questionnaire: Questionnaire, obj=None, **detail) -> None:
    audit_record(actor=actor, action=action, obj=obj or questionnaire, detail=_actor_detail(questionnaire, **detail))


def _edited(*, actor, action: str, questionnaire: Questionnaire, obj: Section | Question, **detail) -> None:
    """Bump the questionnaire's version for an edit of ``obj``, then audit it (with its code) under the new one."""
    _version_bump(questionnaire)
    _audit(actor=actor, action=action, questionnaire=questionnaire, obj=obj, code=obj.code, **detail)


def code_asked_before(*, questionnaire: Questionnaire, code: str) -> Question | None:
    """Return the latest question with ``code`` in a cycle before ``questionnaire``'s that has opened, if any."""
    return (
        Question.objects.filter(code=code, questionnaire__cycle__year__lt=questionnaire.cycle.year)
        .exclude(questionnaire__cycle__state=CycleState.DRAFT)
        .select_related("questionnaire__cycle")
        .order_by("-questionnaire__cycle__year")
        .first()
    )


def code_for_rewording(*, question: Question) -> str:
    """Return the code a rewording of ``question`` is given by default: its code and this cycle's year."""
    year = str(question.questionnaire.cycle.year)
    base = re.sub(r"-\d{4}$", "", question.code)[: 40 - len(year) - 1]
    return f"{base}-{year}"


def _check_new_code(questionnaire: Questionnaire, code: str, text: str, *, allow_statement: bool = False) -> str:
    code = (code or "").strip().upper()
    if not _CODE.match(code):
        raise DomainError(MSG_CODE_INVALID, code="invalid_code")
    if Question.objects.filter(questionnaire=questionnaire, code=code).exists():
        raise Conflict(MSG_CODE_TAKEN.format(code=code), code="code_taken")
    if not allow_statement and Statement.objects.filter(code=code).exists():
        raise Conflict(MSG_CODE_IN_LIBRARY.format(code=code), code="code_in_library")
    earlier = code_asked_before(questionnaire=questionnaire, code=code)
    if earlier is not None and earlier.text != text:
        raise Conflict(
            MSG_CODE_USED_BEFORE.format(code=code, year=earlier.questionnaire.cycle.year), code="code_used_before"
        )
    return code


def _place_before_comment_box(section: Section) -> int:
    """Return the order for a new statement: last, but before the section's closing comment box."""
    questions = list(section.questions.order_by("order", "pk"))
    if questions and questions[-1].code.startswith(COMMENT_PREFIX):
        box = questions[-1]
        order = box.order
        box.order = order + 1
        box.save(update_fields=["order"])
        return order
    return (questions[-1].order + 1) if questions else 1


def _moved(items: list, item, direction: str) -> bool:
    """Swap ``item`` with its neighbour above or below in ``items``; return False at either end (no move)."""
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    return True


def _renumber(items) -> None:
    for order, item in enumerate(items, start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])


# Sections ------------------------------------------------------------------------------------------


def _section_code(title: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", title.upper()).strip("-")[:30] or "SECTION"


@transaction.atomic(durable=True)
def editor_section_add(*, actor, questionnaire: Questionnaire, title: str, intro: str = "") -> Section:
    """Add a section at the end of a draft questionnaire, with its closing comment box."""
    questionnaire = _questionnaire_lock_editable(questionnaire.pk)
    title = (title or "").strip()
    if not title:
        raise DomainError(MSG_SECTION_TITLE_EMPTY, code="title_empty")
    code = _section_code(title)
    if (
        questionnaire.sections.filter(code=code).exists()
        or questionnaire.questions.filter(code=comment_code(code)).exists()
    ):
        raise Conflict(MSG_SECTION_CODE_TAKEN.format(title=title), code="section_taken")
    last = questionnaire.sections.aggregate(last=Max("order"))["last"] or 0
    section = Section.objects.create(
        questionnaire=questionnaire, order=last + 1, code=code, title=title, intro=(intro or "").strip()
    )
    _comment_box(section=section, order=1).save()
    _edited(actor=actor, action="section_added", questionnaire=questionnaire, obj=section, title=title)
    return section


@transaction.atomic(durable=True)
def editor_section_update(*, actor, section: Section, title: str, intro: str = "") -> Section:
    """Change a section's title and introduction (its code, which links its comments, stays)."""
    questionnaire = _questionnaire_lock_editable(section.questionnaire_id)
    title = (title or "").strip()
    if not title:
        raise DomainError(MSG_SECTION_TITLE_EMPTY, code="title_empty")
    before = {"title": section.title, "intro": section.intro}
    section.title, section.intro = title, (intro or "").strip()
    section.save(update_fields=["title", "intro"])
    _edited(actor=actor, action="section_changed", questionnaire=questionnaire, obj=section, before=before)
    return section


@transaction.atomic(durable=True)
def editor_section_move(*, actor, section: Section, direction: str) -> Section:
    """Move a section one place up or down; at either end it stays where it is."""
    questionnaire = _questionnaire_lock_editable(section.questionnaire_id)
    if direction not in (UP, DOWN):
        raise DomainError(MSG_MOVE_INVALID, code="invalid_move")
    sections = list(questionnaire.sections.order_by("order", "pk"))
    if _moved(sections, section, direction):
        _renumber(sections)
        _edited(actor=actor, action="section_moved", questionnaire=questionnaire, obj=section, direction=direction)
    return Section.objects.get(pk=section.pk)


@transaction.atomic(durable=True)
def editor_section_remove(*, actor, section: Section) -> None:
    """Remove a section that has no statements left (its comment box goes with it)."""
    questionnaire = _questionnaire_lock_editable(section.questionnaire_id)
    if section.questions.exclude(code__startswith=COMMENT_PREFIX).exists():
        raise Conflict(MSG_SECTION_NOT_EMPTY.format(title=section.title), code="section_not_empty")
    code = section.code
    _audit(actor=actor, action="section_removed", questionnaire=questionnaire, obj=section, code=code)
    section.delete()
    _renumber(list(questionnaire.sections.order_by("order", "pk")))
    _version_bump(questionnaire)


# Statements -----------------------------------------------------------------------------------------


def library_statements_not_asked(*, questionnaire: Questionnaire):
    """Return the framework library's statements that ``questionnaire`` does not ask yet."""
    asked = questionnaire.questions.values("code")
    return Statement.objects.select_related("behaviour", "role").exclude(code__in=asked).order_by("order", "code")


@transaction.atomic(durable=True)
def editor_statement_add(*, actor, section: Section, statement: Statement) -> Question:
    """Add a framework library statement, with its code, wording and tags, before the section's comment box."""
    questionnaire = _questionnaire_lock_editable(section.questionnaire_id)
    if questionnaire.questions.filter(code=statement.code).exists():
        raise Conflict(MSG_STATEMENT_TAKEN.format(code=statement.code), code="code_taken")
    _groups_check(questionnaire, behaviour_id=statement.behaviour_id, role_id=statement.role_id)
    question = _statement_question(section=section, order=_place_before_comment_box(section), statement=statement)
    question.save()
    _edited(actor=actor, action="question_added", questionnaire=questionnaire, obj=question)
    return question


@transaction.atomic(durable=True)
def editor_question_create(
    *,
    actor,
    section: Section,
    code: str,
    text: str,
    behaviour: Behaviour | None,
    role: Role | None,
    positively_worded: bool = True,
    offers_not_applicable: bool = False,
) -> Question:
    """Add a new agreement statement (a new code, not in the library) before the section's comment box."""
    questionnaire = _questionnaire_lock_editable(section.questionnaire_id)
    text = (text or "").strip()
    if not text:
        raise DomainError(MSG_TEXT_EMPTY, code="text_empty")
    if behaviour is None and role is None:
        raise DomainError(MSG_TAG_MISSING, code="tag_missing")
    code = _check_new_code(questionnaire, code, text)
    _groups_check(questionnaire, behaviour_id=behaviour.pk if behaviour else None, role_id=role.pk if role else None)
    question = Question.objects.create(
        questionnaire=questionnaire,
        section=section,
        order=_place_before_comment_box(section),
        code=code,
        text=text,
        type=QuestionType.AGREEMENT,
        behaviour=behaviour,
        role=role,
        positively_worded=positively_worded,
        offers_not_applicable=offers_not_applicable,
    )
    _edited(actor=actor, action="question_added", questionnaire=questionnaire, obj=question, new=True)
    return question


def rewording_needs_new_code(*, question: Question, text: str) -> bool:
    """Return whether changing ``question``'s wording to ``text`` must give it a new code."""
    if question.text == (text or "").strip():
        return False
    earlier = code_asked_before(questionnaire=question.questionnaire, code=question.code)
    return earlier is not None


@transaction.atomic(durable=True)
def editor_question_update(
    *,
    actor,
    question: Question,
    text: str,
    new_code: str = "",
    behaviour: Behaviour | None = None,
    role: Role | None = None,
    positively_worded: bool = True,
    offers_not_applicable: bool = False,
    self_wording: str | None = None,
) -> Question:
    """Change a statement's wording, tags and options, and how the area team's self-assessment words it.

    A statement asked in an earlier cycle keeps its code only while its wording is unchanged: a new
    wording gets ``new_code`` (by default ``code_for_rewording``) and no longer counts as the library's.
    ``self_wording`` (first person, under the same code) is kept as it is when ``None``; blank removes it,
    so that the self-assessment reads ``text``.
    """
    questionnaire = _questionnaire_lock_editable(question.questionnaire_id)
    question = Question.objects.select_related("questionnaire__cycle").get(pk=question.pk)
    is_comment = question.type == QuestionType.FREE_TEXT
    text = (text or "").strip()
    if not text:
        raise DomainError(MSG_TEXT_EMPTY, code="text_empty")
    if not is_comment and behaviour is None and role is None:
        raise DomainError(MSG_TAG_MISSING, code="tag_missing")
    if question.type != QuestionType.AGREEMENT and (not positively_worded or offers_not_applicable):
        raise DomainError(MSG_NOT_AGREEMENT, code="not_agreement")
    if question.type == QuestionType.AGREEMENT:
        _groups_check(
            questionnaire,
            behaviour_id=behaviour.pk if behaviour else None,
            role_id=role.pk if role else None,
            replacing_id=question.pk,
        )
    before = {
        "code": question.code,
        "text": question.text,
        "behaviour": question.behaviour.code if question.behaviour else None,
        "role": question.role.code if question.role else None,
        "positively_worded": question.positively_worded,
        "offers_not_applicable": question.offers_not_applicable,
        "self_wording": question.wordings.get(RaterGroup.SELF, ""),
    }
    if rewording_needs_new_code(question=question, text=text):
        question.code = _check_new_code(
            questionnaire, new_code.strip() or code_for_rewording(question=question), text, allow_statement=False
        )
        question.statement = None
    question.text = text
    if not is_comment:
        question.behaviour, question.role = behaviour, role
        question.positively_worded = positively_worded
        question.offers_not_applicable = offers_not_applicable
    if self_wording is not None and not is_comment:
        wordings = {group: words for group, words in question.wordings.items() if group != RaterGroup.SELF}
        if self_wording.strip():
            wordings[RaterGroup.SELF.value] = self_wording.strip()
        question.wordings = wordings
    question.save()
    _edited(actor=actor, action="question_changed", questionnaire=questionnaire, obj=question, before=before)
    return question


@transaction.atomic(durable=True)
def editor_question_move(*, actor, question: Question, direction: str) -> Question:
    """Move a statement one place up or down in its section; the comment box stays last."""
    questionnaire = _questionnaire_lock_editable(question.questionnaire_id)
    if direction not in (UP, DOWN):
        raise DomainError(MSG_MOVE_INVALID, code="invalid_move")
    if question.code.startswith(COMMENT_PREFIX):
        raise DomainError(MSG_COMMENT_BOX_FIXED, code="comment_box_fixed")
    questions = list(Question.objects.filter(section_id=question.section_id).order_by("order", "pk"))
    statements = [q for q in questions if not q.code.startswith(COMMENT_PREFIX)]
    if _moved(statements, question, direction):
        _renumber(statements + [q for q in questions if q.code.startswith(COMMENT_PREFIX)])
        _edited(actor=actor, action="question_moved", questionnaire=questionnaire, obj=question, direction=direction)
    return Question.objects.get(pk=question.pk)


@transaction.atomic(durable=True)
def editor_question_remove(*, actor, question: Question) -> None:
    """Remove a statement from a draft questionnaire (a comment box goes only with its section)."""
    questionnaire = _questionnaire_lock_editable(question.questionnaire_id)
    if question.code.startswith(COMMENT_PREFIX):
        raise DomainError(MSG_COMMENT_BOX_FIXED, code="comment_box_fixed")
    _audit(actor=actor, action="question_removed", questionnaire=questionnaire, obj=question, code=question.code)
    question.delete()
    _version_bump(questionnaire)
