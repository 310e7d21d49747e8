"""Writes of free-text comments: a moderation record for each new comment, and moderating one.

Moderating never changes the answer: a redaction is stored beside it, and each change of status or
text is audited (who, when, the old and new status) without the text itself.
"""

from django.db import transaction
from django.utils import timezone

from comments.models import CommentModeration, CommentStatus
from comments.selectors import MSG_BAD_STATUS, MSG_NOT_MODERATOR, comments_for_moderator, comments_min_base
from core.errors import Conflict, DomainError, PermissionDenied
from core.services import audit_record
from surveys.models import Answer, QuestionType, Response, ResponseStatus

# A redaction replaces details with placeholders such as "[name removed]", which may be a little longer.
REDACTION_MARGIN = 200
REGISTER_BATCH = 2000
AUDIT_ACTION = "comment_moderate"

MSG_NOTHING_TO_CHANGE = "Send a status, a redacted text or both."
MSG_TEXT_EMPTY = "Enter the comment as it should be published."
MSG_TEXT_TOO_LONG = (
    f"The redacted comment must be no more than {REDACTION_MARGIN} characters longer than the comment as given."
)
MSG_TEXT_INVALID = "The redacted comment contains characters that cannot be stored."
MSG_BELOW_THRESHOLD = (
    "This comment cannot be moderated or published: its area team has fewer than {min_base} responses this year."
)


def comments_register(*, cycle_id: int, response_id: int | None = None) -> int:
    """Give every comment of the cycle (or of one response) a moderation record, waiting for moderation.

    Idempotent: comments that have one already are left alone. Return how many records were added.
    """
    answers = Answer.objects.filter(
        cycle_id=cycle_id, question__type=QuestionType.FREE_TEXT, moderation__isnull=True
    ).exclude(text="")
    if response_id is not None:
        answers = answers.filter(response_id=response_id)
    added = 0
    batch: list[CommentModeration] = []
    for answer_id, area_team_id, question_id in answers.values_list("pk", "area_team_id", "question_id").iterator(
        chunk_size=REGISTER_BATCH
    ):
        batch.append(
            CommentModeration(
                answer_id=answer_id, cycle_id=cycle_id, area_team_id=area_team_id, question_id=question_id
            )
        )
        if len(batch) == REGISTER_BATCH:
            added += _register(batch)
            batch = []
    return added + _register(batch)


def _register(batch: list[CommentModeration]) -> int:
    # ignore_conflicts: a submission's task and the nightly reconcile may meet on the same comment.
    CommentModeration.objects.bulk_create(batch, ignore_conflicts=True)
    return len(batch)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _redaction(comment: CommentModeration, text: str) -> str:
    """Return the redaction to store for ``text`` ("" where it is the comment as given), or raise."""
    if "\x00" in text:
        raise DomainError(MSG_TEXT_INVALID, code="comment_text_invalid")
    text = _normalise(text)
    if not text:
        raise DomainError(MSG_TEXT_EMPTY, code="comment_text_empty")
    original = _normalise(comment.answer.text)
    if len(text) > len(original) + REDACTION_MARGIN:
        raise DomainError(MSG_TEXT_TOO_LONG, code="comment_text_too_long")
    return "" if text == original else text


def _above_threshold(comment: CommentModeration) -> bool:
    submitted = Response.objects.filter(
        cycle_id=comment.cycle_id, area_team_id=comment.area_team_id, status=ResponseStatus.SUBMITTED
    ).count()
    return submitted >= comments_min_base()


@transaction.atomic
def comment_moderate(
    *, user, comment: CommentModeration, status: str | None = None, text: str | None = None, ip: str | None = None
) -> CommentModeration:
    """Set a comment's status (pending, approved, hidden) and/or its redacted text, as ``user``; audit the change.

    NHSCC staff only, and only for comments whose area team is above the comments threshold. ``None``
    leaves a part as it is; a ``text`` identical to the comment as given removes the redaction. Any
    status can follow any other, so a moderator can change their mind. Nothing is written if nothing
    changes or anything is refused.
    """
    if not user.is_nhscc:
        raise PermissionDenied(MSG_NOT_MODERATOR)
    if status is None and text is None:
        raise DomainError(MSG_NOTHING_TO_CHANGE, code="nothing_to_change")
    if status is not None and status not in CommentStatus.values:
        raise DomainError(MSG_BAD_STATUS, code="invalid_status")
    comment = (
        CommentModeration.objects.select_for_update(of=("self",))
        .select_related("answer", "cycle", "area_team", "question__section")
        .get(pk=comment.pk)
    )
    redacted_text = comment.redacted_text if text is None else _redaction(comment, text)
    if not _above_threshold(comment):
        raise Conflict(MSG_BELOW_THRESHOLD.format(min_base=comments_min_base()), code="below_threshold")
    new_status = comment.status if status is None else status
    if (new_status, redacted_text) == (comment.status, comment.redacted_text):
        return comment
    old_status, was_redacted = comment.status, bool(comment.redacted_text)
    redaction_changed = redacted_text != comment.redacted_text
    comment.status = new_status
    comment.redacted_text = redacted_text
    comment.moderated_by = user
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "redacted_text", "moderated_by", "moderated_at"])
    audit_record(
        actor=user,
        action=AUDIT_ACTION,
        obj=comment,
        detail={
            "cycle": comment.cycle.year,
            "area_team": comment.area_team.ods_code,
            "section": comment.question.section.code,
            "old_status": old_status,
            "new_status": new_status,
            "was_redacted": was_redacted,
            "redacted": bool(redacted_text),
            "redaction_changed": redaction_changed,
        },
        ip=ip,
    )
    return comment


MSG_BULK_STATUS = "Choose to approve or to hide the comments."
MSG_BULK_NONE = "No comment in this list would change."
MSG_BULK_CHANGED = "The list has changed since you checked it: {count} comments would change now. Check again."


def comments_bulk_candidates(*, user, cycle, status: str, filters: dict):
    """Return the comments of the filtered list that a bulk change to ``status`` would change.

    Only comments ``user`` may moderate, above the threshold, and not already in ``status``.
    """
    if status not in (CommentStatus.APPROVED, CommentStatus.HIDDEN):
        raise DomainError(MSG_BULK_STATUS, code="invalid_status")
    return comments_for_moderator(user=user, cycle=cycle, **filters).filter(above_threshold=True).exclude(status=status)


@transaction.atomic(durable=True)
def comments_moderate_bulk(*, user, cycle, status: str, filters: dict, expected: int, ip: str | None = None) -> int:
    """Approve or hide every comment of a filtered list at once (keeping redactions); return how many changed.

    ``expected`` is the count the moderator confirmed: if the list now holds another number of comments
    that would change, nothing is written and the moderator is asked to check again. Each change is
    audited as a single moderation is.
    """
    if not user.is_nhscc:
        raise PermissionDenied(MSG_NOT_MODERATOR)
    ids = list(
        comments_bulk_candidates(user=user, cycle=cycle, status=status, filters=filters).values_list("pk", flat=True)
    )
    if not ids:
        raise Conflict(MSG_BULK_NONE, code="nothing_to_change")
    if len(ids) != expected:
        raise Conflict(MSG_BULK_CHANGED.format(count=len(ids)), code="list_changed")
    comments = (
        CommentModeration.objects.select_for_update(of=("self",))
        .select_related("cycle", "area_team", "question__section")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    now = timezone.now()
    for comment in comments:
        old_status = comment.status
        comment.status, comment.moderated_by, comment.moderated_at = status, user, now
        comment.save(update_fields=["status", "moderated_by", "moderated_at"])
        audit_record(
            actor=user,
            action=AUDIT_ACTION,
            obj=comment,
            detail={
                "cycle": comment.cycle.year,
                "area_team": comment.area_team.ods_code,
                "section": comment.question.section.code,
                "old_status": old_status,
                "new_status": status,
                "was_redacted": bool(comment.redacted_text),
                "redacted": bool(comment.redacted_text),
                "redaction_changed": False,
                "bulk": True,
            },
            ip=ip,
        )
    return len(ids)
