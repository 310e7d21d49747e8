from django.contrib import admin

from organisations.models import CCG, AreaTeam, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["ods_code", "gss_code", "name"]
    search_fields = ["ods_code", "name"]


@admin.register(AreaTeam)
class AreaTeamAdmin(admin.ModelAdmin):
    list_display = ["ods_code", "gss_code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["ods_code", "name"]


@admin.register(CCG)
class CCGAdmin(admin.ModelAdmin):
    list_display = ["ods_code", "gss_code", "name", "area_team"]
    list_filter = ["area_team__region"]
    search_fields = ["ods_code", "name"]
    list_select_related = ["area_team"]
