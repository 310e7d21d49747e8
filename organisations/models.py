from django.db import models

# England as an organisation in published figures (no ODS code of its own).
ENGLAND_CODE = "ENG"


class Region(models.Model):
    """An NHS England (commissioning) region, e.g. Y54 North of England."""

    ods_code = models.CharField("ODS code", max_length=3, unique=True)
    gss_code = models.CharField("GSS code", max_length=9, blank=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["ods_code"]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"


class AreaTeam(models.Model):
    """An NHS England area team (27 from April 2013), within one region."""

    ods_code = models.CharField("ODS code", max_length=3, unique=True)
    gss_code = models.CharField("GSS code", max_length=9, blank=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="area_teams")

    class Meta:
        ordering = ["ods_code"]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"


class CCG(models.Model):
    """A Clinical Commissioning Group, under one area team."""

    ods_code = models.CharField("ODS code", max_length=3, unique=True)
    gss_code = models.CharField("GSS code", max_length=9, blank=True)
    name = models.CharField(max_length=200)
    area_team = models.ForeignKey(AreaTeam, on_delete=models.PROTECT, related_name="ccgs")

    class Meta:
        ordering = ["ods_code"]
        verbose_name = "CCG"
        verbose_name_plural = "CCGs"

    def __str__(self):
        return f"{self.name} ({self.ods_code})"
