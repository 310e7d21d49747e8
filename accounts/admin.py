from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User
from core.admin_access import ReadOnlyForAdmins
from core.net import client_ip
from core.services import audit_record


@admin.register(User)
class UserAdmin(ReadOnlyForAdmins, BaseUserAdmin):
    """People, read-only: admins invite, change roles and deactivate on the people pages (/manage/people/)."""

    ordering = ["email"]
    list_display = ["email", "full_name", "role", "ccg", "lead_role", "area_team", "is_active"]
    list_filter = ["role", "lead_role", "is_active"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["ccg", "area_team"]
    fieldsets = [
        (None, {"fields": ["email", "full_name"]}),
        ("Role", {"fields": ["role", "ccg", "lead_role", "area_team"]}),
        ("Access", {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        """Save, and audit who changed which of the account's fields (roles, access) from the admin."""
        super().save_model(request, obj, form, change)
        fields = sorted(name for name in form.changed_data if name not in ("password", "password1", "password2"))
        action = "user_changed" if change else "user_created"
        audit_record(actor=request.user, action=action, obj=obj, detail={"fields": fields}, ip=client_ip(request))
