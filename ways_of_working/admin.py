"""The framework library, read-only: codes and wordings are compared across years, so they never change here."""

from django.contrib import admin

from core.admin_access import ReadOnlyModelAdmin
from ways_of_working.models import Behaviour, Role, Statement


@admin.register(Behaviour)
class BehaviourAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(Role)
class RoleAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "text", "behaviour", "role", "positively_worded"]
    list_filter = ["behaviour", "role", "positively_worded"]
    search_fields = ["code", "text"]
