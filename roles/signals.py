"""Record logins and failed logins in the audit ledger."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

import audit


@receiver(user_logged_in)
def _login(sender, request, user, **kwargs):
    audit.record(action="auth.login", actor=user, target=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the username is kept: never the password.
    audit.record(
        action="auth.login_failed",
        after={"username": str(credentials.get("username", ""))[:150]},
        request=request,
    )
