"""Reads of free-text comments, scoped to the caller: the moderators' queue and a scorecard's published comments.

Two rules hold everywhere (DESIGN.md §4). A comment is read only where its area team has at least
``COMMENTS_MIN_BASE`` submitted responses in the cycle (admins excepted, who may read everything); and a
scorecard shows approved comments only, in their redacted form, without the CCG, the lead or the lead's
role. Analysts read the redacted text of a redacted comment, never its original: their queries do not
return it at all.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, NullIf

from comments.models import CommentModeration, CommentStatus
from core.errors import DomainError, NotFound, PermissionDenied
from organisations.models import AreaTeam
from organisations.selectors import MSG_NO_SUCH_ORG
from surveys.models import Cycle, CycleState, QuestionType, Response, ResponseStatus, Section

MSG_NOT_MODERATOR = "Free-text comments are moderated by NHSCC staff."
MSG_NO_SUCH_COMMENT = "There is no such comment, or it cannot be read yet."
MSG_NO_SUCH_SECTION = "There is no section with the code {code!r} in the {year} questionnaire."
MSG_BAD_STATUS = "Choose a status: pending, approved or hidden."


def comments_min_base() -> int:
    """Return how many submitted responses an area team needs before its comments can be read."""
    return settings.COMMENTS_MIN_BASE


def area_teams_above_comments_threshold(*, cycle: Cycle) -> QuerySet:
    """Return (as a subquery) the ids of area teams with at least ``COMMENTS_MIN_BASE`` submitted responses."""
    return (
        Response.objects.filter(cycle=cycle, status=ResponseStatus.SUBMITTED)
        .values("area_team_id")
        .annotate(responses=Count("pk"))
        .filter(responses__gte=comments_min_base())
        .values("area_team_id")
    )


def _shown_text():
    # The redaction where there is one, else the comment as given.
    return Coalesce(NullIf(F("redacted_text"), Value("")), F("answer__text"), output_field=TextField())


def _require_moderator(user) -> None:
    if not user.is_nhscc:
        raise PermissionDenied(MSG_NOT_MODERATOR)


def comments_for_moderator(
    *, user, cycle: Cycle, status: str | None = None, area_team: str | None = None, section: str | None = None
) -> QuerySet[CommentModeration]:
    """Return the comments ``user`` may moderate, filtered, each with ``shown_text`` and ``above_threshold``.

    Analysts get only comments above the threshold; admins get every comment, flagged, and its
    ``original_text`` too. Ordered by area team, section, then the random id: never by when it was given.
    """
    _require_moderator(user)
    above = area_teams_above_comments_threshold(cycle=cycle)
    comments = (
        CommentModeration.objects.filter(cycle=cycle)
        .select_related("area_team", "question__section", "moderated_by")
        .annotate(
            shown_text=_shown_text(),
            above_threshold=Case(
                When(area_team_id__in=above, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
    )
    if user.is_admin:
        comments = comments.annotate(original_text=F("answer__text"))
    else:
        comments = comments.filter(area_team_id__in=above)
    if status:
        if status not in CommentStatus.values:
            raise DomainError(MSG_BAD_STATUS, code="invalid_status")
        comments = comments.filter(status=status)
    if area_team:
        code = area_team.upper()
        team = AreaTeam.objects.filter(ods_code=code).first()
        if team is None:
            raise NotFound(MSG_NO_SUCH_ORG.format(level="area team", code=code))
        comments = comments.filter(area_team=team)
    if section:
        code = section.upper()
        if not Section.objects.filter(questionnaire__cycle=cycle, code=code).exists():
            raise NotFound(MSG_NO_SUCH_SECTION.format(code=code, year=cycle.year))
        comments = comments.filter(question__section__code=code)
    return comments.order_by("area_team__name", "question__section__order", "question__order", "pk")


def comment_for_moderator(*, user, cycle: Cycle, comment_id) -> CommentModeration:
    """Return one comment ``user`` may moderate (as ``comments_for_moderator`` has it), else raise NotFound."""
    comment = comments_for_moderator(user=user, cycle=cycle).filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(MSG_NO_SUCH_COMMENT)
    return comment


def comment_after(*, user, cycle: Cycle, comment_id, filters: dict):
    """Return the id of the comment after ``comment_id`` in the filtered list (None if none is left to decide).

    Read before a decision, so that the decided comment's place is known even if the decision takes it
    out of the list (approving from the list of waiting comments).
    """
    rows = list(comments_for_moderator(user=user, cycle=cycle, **filters).values_list("pk", "status"))
    ids = [pk for pk, _ in rows]
    at = ids.index(comment_id) + 1 if comment_id in ids else 0
    later = [pk for pk in ids[at:] if pk != comment_id]
    # Past the end, back to those earlier in the list still waiting (never round and round a decided list).
    earlier = [pk for pk, status in rows[:at] if pk != comment_id and status == CommentStatus.PENDING]
    following = later or earlier
    return following[0] if following else None


def comment_status_counts(*, user, cycle: Cycle) -> dict[str, int]:
    """Return how many comments ``user`` may moderate are in each status (every status present, 0 if none)."""
    counts = dict.fromkeys(CommentStatus.values, 0)
    rows = comments_for_moderator(user=user, cycle=cycle).order_by().values("status").annotate(n=Count("pk"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def comment_sections(*, cycle: Cycle) -> list[tuple[str, str]]:
    """Return (code, title) of the cycle's sections that ask for a comment, in questionnaire order."""
    return list(
        Section.objects.filter(questionnaire__cycle=cycle, questions__type=QuestionType.FREE_TEXT)
        .distinct()
        .order_by("order", "pk")
        .values_list("code", "title")
    )


def comment_area_team_choices() -> list[tuple[str, str]]:
    """Return (ODS code, name) of every area team, by name: the queue's area team filter."""
    return list(AreaTeam.objects.order_by("name").values_list("ods_code", "name"))


def latest_comments_cycle(*, user) -> Cycle | None:
    """Return the latest cycle with comments waiting for ``user`` to moderate, else the latest cycle not a draft."""
    _require_moderator(user)
    for cycle in Cycle.objects.exclude(state=CycleState.DRAFT).order_by("-year"):
        if comments_for_moderator(user=user, cycle=cycle, status=CommentStatus.PENDING).exists():
            return cycle
    return Cycle.objects.exclude(state=CycleState.DRAFT).order_by("-year").first()


@dataclass
class CommentGroup:
    """The published comments of one section of the questionnaire."""

    code: str
    title: str
    texts: list = field(default_factory=list)


def published_comments(*, cycle: Cycle, area_team: str | None) -> list[CommentGroup]:
    """Return the approved comments (redacted where redacted) about ``area_team`` (an ODS code), by section.

    One query. Only the text and its section: never who gave it. Empty unless the area team is above
    the comments threshold. Within a section, comments follow their random ids, not the order they
    came in. The caller checks that the user may read this area team's scorecard in this cycle.
    """
    if not area_team:
        return []
    rows = (
        CommentModeration.objects.filter(
            cycle=cycle,
            area_team__ods_code=area_team.upper(),
            status=CommentStatus.APPROVED,
            area_team_id__in=area_teams_above_comments_threshold(cycle=cycle),
        )
        .annotate(shown_text=_shown_text())
        .order_by("question__section__order", "question__order", "pk")
        .values_list("question__section__code", "question__section__title", "shown_text")
    )
    groups: list[CommentGroup] = []
    for code, title, text in rows:
        if not groups or groups[-1].code != code:
            groups.append(CommentGroup(code=code, title=title))
        groups[-1].texts.append(text)
    return groups
