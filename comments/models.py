"""Moderation of free-text comments: one ``CommentModeration`` per comment (a free-text ``surveys.Answer``).

The answer's own text is never changed. A redaction is stored here beside it, so the original stays
readable by admins only; what analysts and published scorecards read is the redaction, if any.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    HIDDEN = "hidden", "Hidden"


class CommentModeration(models.Model):
    """Whether one comment may be published, and the text it is published with (blank: not redacted).

    The id is random so that neither it nor any order by it says when, or by whom, a comment was given.
    ``cycle``, ``area_team`` and ``question`` are copied from the answer so that queues filter without
    joining answers; nothing here names the CCG, the lead or the lead's role.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.OneToOneField("surveys.Answer", on_delete=models.CASCADE, related_name="moderation")
    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="+")
    area_team = models.ForeignKey("organisations.AreaTeam", on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey("surveys.Question", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    redacted_text = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_commentmoderation"
        constraints = [
            models.CheckConstraint(
                name="comment_moderation_status_valid", condition=Q(status__in=CommentStatus.values)
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status", "area_team"], name="comment_moderation_queue")]

    def __str__(self):
        return f"Comment {self.pk} ({self.status})"
