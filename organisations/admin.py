"""Organisations, read-only: they come from the organisations import (``import_organisations``)."""

from django.contrib import admin

from core.admin_access import ReadOnlyModelAdmin
from organisations.models import CCG, AreaTeam, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyModelAdmin):
    list_display = ["ods_code", "gss_code", "name"]
    search_fields = ["ods_code", "name"]


@admin.register(AreaTeam)
class AreaTeamAdmin(ReadOnlyModelAdmin):
    list_display = ["ods_code", "gss_code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["ods_code", "name"]


@admin.register(CCG)
class CCGAdmin(ReadOnlyModelAdmin):
    list_display = ["ods_code", "gss_code", "name", "area_team"]
    list_filter = ["area_team__region"]
    search_fields = ["ods_code", "name"]
    list_select_related = ["area_team"]
