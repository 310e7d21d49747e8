from django.contrib import admin

from core.admin_access import ReadOnlyModelAdmin
from core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "actor_email", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_email", "object_id", "action"]
    date_hierarchy = "at"
