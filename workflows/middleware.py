"""Load a staff user's object permissions for viewflow's queues in two queries.

viewflow's `Task.objects.user_queue` builds the set of the user's object permissions by
reading each guardian row's content type and permission one query at a time, so its
menu counts and queue pages cost two queries per case the user was ever routed. It
reuses `user._viewflow_per_object_perm_cache` when present: fill it efficiently here.
"""

from guardian.models import GroupObjectPermission, UserObjectPermission

WORKSPACE_PREFIX = "/workspace/"


def _perm_keys(queryset):
    rows = queryset.values_list("content_type__app_label", "permission__codename", "object_pk")
    return {f"{app}.{codename}_{pk}" for app, codename, pk in rows}


def viewflow_permission_cache_fill(user) -> None:
    """Give `user` the object-permission keys viewflow's queue reads, in two queries (the API
    authenticates in the view, after this middleware: its task list calls this itself)."""
    if not hasattr(user, "_viewflow_per_object_perm_cache"):
        user._viewflow_per_object_perm_cache = _perm_keys(
            UserObjectPermission.objects.filter(user=user)
        ) | _perm_keys(GroupObjectPermission.objects.filter(group__user=user))


class ViewflowPermissionCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.path.startswith(WORKSPACE_PREFIX):
            viewflow_permission_cache_fill(user)
        return self.get_response(request)
