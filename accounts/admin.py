from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "ccg", "lead_role", "area_team", "is_active"]
    list_filter = ["role", "lead_role", "is_active"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["ccg", "area_team"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Role", {"fields": ["role", "ccg", "lead_role", "area_team"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]
