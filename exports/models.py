"""Exports of the annual report and of area teams' board packs: one ``ReportExport`` per requested file, built
by a Celery task."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportFormat(models.TextChoices):
    PDF = "pdf", "Annual report (PDF)"
    XLSX = "xlsx", "Data tables (Excel workbook)"
    CSV = "csv", "Data behind the report (CSV)"
    RESPONDENTS = "respondents", "Respondent-level answers (CSV, admins only)"
    PACK = "pack", "Area team board pack (PDF)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportExport(models.Model):
    """One export of a cycle's published figures: who asked, how far it got, and the file it made."""

    cycle = models.ForeignKey("surveys.Cycle", on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=12, choices=ExportFormat.choices)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # A short, safe line for the user: what it is doing now, or why it failed.
    message = models.CharField(max_length=300, blank=True)
    # The area team a board pack is about (format "pack" only): who may download it follows from it.
    area_team = models.ForeignKey(
        "organisations.AreaTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scorecard_set = models.ForeignKey(
        "scorecards.ScorecardSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="exports/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    # When it last entered the queue (its request, or a retry): the time limit counts from here.
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # The table it had in the reports app, kept when it moved here (no data was copied).
        db_table = "reports_reportexport"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="report_export_progress_0_100", condition=Q(progress__lte=100)),
            models.CheckConstraint(
                name="report_export_done_has_file",
                condition=~Q(status="done") | (~Q(sha256="") & Q(finished_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="report_export_pack_has_area_team",
                condition=Q(format="pack", area_team__isnull=False) | (~Q(format="pack") & Q(area_team__isnull=True)),
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="report_export_status")]

    def __str__(self):
        return f"Export {self.pk}: {self.cycle_id} {self.format} ({self.status})"
