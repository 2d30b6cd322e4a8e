"""Template context for the public layout (templates/base.html)."""

from django.utils.functional import SimpleLazyObject


def persona(request):
    """The signed-in user's persona ("journalist", "staff", "inspector" or ""), for the menu.

    Lazy: pages that do not show the menu run no query.
    """
    from roles.selectors import user_persona

    return {"persona": SimpleLazyObject(lambda: user_persona(getattr(request, "user", None)))}


def notifications(request):
    """The signed-in user's unread notification count, for the menu item "Thông báo".

    Lazy: one COUNT query, only on pages that show the menu.
    """
    from workflows.notifications.selectors import notifications_unread_count

    user = getattr(request, "user", None)
    return {"notifications_unread": SimpleLazyObject(lambda: notifications_unread_count(user))}
