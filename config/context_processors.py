"""Template context for the public layout (templates/base.html)."""

from django.utils.functional import SimpleLazyObject


def persona(request):
    """The signed-in user's persona ("journalist", "staff", "inspector" or ""), for the menu.

    Lazy: pages that do not show the menu run no query.
    """
    from roles.selectors import user_persona

    return {"persona": SimpleLazyObject(lambda: user_persona(getattr(request, "user", None)))}
