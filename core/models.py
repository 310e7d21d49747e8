from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task (one row per worker host name)."""

    worker = models.CharField(max_length=255, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self):
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
