"""Coarse gates per endpoint; the services still decide each action on each object."""

from rest_framework.permissions import BasePermission

from workflows.engine.selectors import is_staff_member


class IsStaff(BasePermission):
    """Holds a current role in some organisation (journalists are refused)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.is_superuser or is_staff_member(user)
