"""Role checks for pages (mixins) and the API (permission classes), enforced server-side."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework import permissions

from accounts.models import UserRole


def user_has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


class RoleRequiredMixin(LoginRequiredMixin):
    """Page mixin: anonymous users go to sign in; signed-in users without the role get 403."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_has_role(request.user, *self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HasRole(permissions.BasePermission):
    """API permission: the caller holds one of ``roles``. Use ``HasRole.of(...)``."""

    roles: tuple[str, ...] = ()

    @classmethod
    def of(cls, *roles: str):
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request, view):
        return user_has_role(request.user, *self.roles)


IsNHSCC = HasRole.of(UserRole.ANALYST, UserRole.ADMIN)
IsAdmin = HasRole.of(UserRole.ADMIN)
IsLead = HasRole.of(UserRole.CCG_LEAD)
