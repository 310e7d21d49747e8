"""Who may use the Django admin, and for what: NHSCC admins read there; every change goes through a service.

Admins are staff (``is_staff``) but not superusers and hold no model permissions: the portal's pages and
services make every change (audited, with the rules a model form cannot know: a frozen questionnaire, the
last admin, a lead's answers kept from names). So the Django admin is where an admin looks things up.
"""

from django.contrib import admin


def is_portal_admin(user) -> bool:
    """Return whether ``user`` is an active NHSCC admin (the role, not a Django permission)."""
    return bool(user.is_active and user.is_staff and getattr(user, "role", "") == "admin")


class ReadOnlyForAdmins:
    """A ``ModelAdmin`` mixin: NHSCC admins may list and view rows; nobody adds, changes or deletes here."""

    def has_module_permission(self, request):
        return is_portal_admin(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_portal_admin(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(ReadOnlyForAdmins, admin.ModelAdmin):
    """A read-only ``ModelAdmin`` for NHSCC admins."""
