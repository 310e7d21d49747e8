from django.conf import settings
from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task (one row per worker host name)."""

    worker = models.CharField(max_length=255, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self):
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class AuditEvent(models.Model):
    """Who did what to which object, when and from where: an append-only record (exports, downloads)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Kept beside the foreign key so the record still says who it was after the account is deleted.
    actor_email = models.EmailField(blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self):
        who = self.actor_email or "system"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.object_type} {self.object_id}"


class OutboxTask(models.Model):
    """A Celery task to send, written in the transaction of the change that needs it (core.outbox).

    The row is deleted once the broker has taken the task; rows left (the broker was down) are sent
    by the sweep every minute. ``attempts`` and ``last_error`` say how long it has been waiting.
    """

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["created_at"], name="outbox_task_created")]

    def __str__(self):
        return f"{self.task}({self.kwargs}) since {self.created_at:%Y-%m-%d %H:%M:%S}"


class RateEvent(models.Model):
    """One counted event for a rate limit (core.ratelimit): a failed sign-in, a password reset, a link opened.

    In the database, not the cache: limits keep working while Redis is down. Old rows are purged daily.
    """

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="rate_event_lookup")]

    def __str__(self):
        return f"{self.kind} {self.key} at {self.at:%Y-%m-%d %H:%M:%S}"
