from django.db import models
from django.db.models import Q


class Behaviour(models.Model):
    """One of the "Ways of Working" behaviours NHSCC, CCGs and NHS England agreed."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Role(models.Model):
    """One of NHS England's roles towards CCGs (area team, primary care, specialised services, ...)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Statement(models.Model):
    """One appraisal item, tagged with a behaviour and/or a role, positively or negatively worded."""

    code = models.CharField(max_length=40, unique=True)
    text = models.TextField()
    behaviour = models.ForeignKey(Behaviour, null=True, blank=True, on_delete=models.PROTECT, related_name="statements")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="statements")
    positively_worded = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                name="statement_has_behaviour_or_role",
                condition=Q(behaviour__isnull=False) | Q(role__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.text}"
