from django.contrib import admin

from ways_of_working.models import Behaviour, Role, Statement


@admin.register(Behaviour)
class BehaviourAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "behaviour", "role", "positively_worded"]
    list_filter = ["behaviour", "role", "positively_worded"]
    search_fields = ["code", "text"]
