"""Reads of organisations: every caller may read the public organisation structure."""

from django.db.models import Count, QuerySet

from organisations.models import CCG, AreaTeam, Region

MSG_NO_SUCH_ORG = "There is no {level} with the code {code!r}."


def region_list(*, user) -> QuerySet[Region]:
    """Return the regions with their area team and CCG counts (public structure: any signed-in user)."""
    return Region.objects.annotate(
        area_team_count=Count("area_teams", distinct=True), ccg_count=Count("area_teams__ccgs", distinct=True)
    ).order_by("ods_code")


def area_team_list(*, user, region: str | None = None) -> QuerySet[AreaTeam]:
    """Return the area teams, optionally within one region (ODS code), with their CCG counts."""
    qs = AreaTeam.objects.select_related("region").annotate(ccg_count=Count("ccgs")).order_by("ods_code")
    if region:
        qs = qs.filter(region__ods_code=region.upper())
    return qs


def ccg_list(*, user, region: str | None = None, area_team: str | None = None) -> QuerySet[CCG]:
    """Return the CCGs, optionally within one region and/or area team (ODS codes)."""
    qs = CCG.objects.select_related("area_team__region").order_by("ods_code")
    if region:
        qs = qs.filter(area_team__region__ods_code=region.upper())
    if area_team:
        qs = qs.filter(area_team__ods_code=area_team.upper())
    return qs


def organisation_counts() -> dict[str, int]:
    return {"regions": Region.objects.count(), "area_teams": AreaTeam.objects.count(), "ccgs": CCG.objects.count()}
