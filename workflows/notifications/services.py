"""Tell someone what happened: an in-app notification and a queued e-mail, once per key.

The e-mail is skipped for a user who turned it off on their own-account page
(`roles.UserPreference.email_notifications`); the in-app notification always appears.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import audit
from outbox import services as outbox
from roles.selectors import user_wants_email

from ..cases.models import Case
from .models import Notification, link_label


def notify(
    *,
    user,
    message: str,
    url: str = "",
    case: Case | None = None,
    statement=None,
    key: str | None = None,
    subject: str | None = None,
    record: bool = False,
) -> Notification | None:
    """Create an in-app notification and queue its e-mail (unless the user opted out);
    with a `key`, only the first call does."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                user=user, case=case, statement=statement, key=key, message=message, url=url
            )
            if record:
                about = case or statement
                audit.record(
                    action="notification.sent",
                    organisation=about.organisation if about else None,
                    target=about,
                    after={"to": user.get_username(), "key": key, "message": message[:200]},
                )
            if not user_wants_email(user):
                return note
            # Queued with the notification, sent by the worker after commit (never here).
            link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
            outbox.mail_queue(
                to=user.email,
                subject=subject or _("[phatngon] %(m)s") % {"m": message[:80]},
                # A labelled link ("Mở hồ sơ HS-…: https://…"), not a bare address.
                body=f"{message}\n\n{link_label(case=case, statement=statement)}: {link}\n",
                dedupe_key=f"notification:{note.pk}",
            )
    except IntegrityError:
        return None  # already sent under this key
    return note
