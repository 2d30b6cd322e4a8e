"""Record logins and failed logins in the audit ledger.

Failed logins are aggregated: anyone can send wrong passwords, and the hash-chained ledger
must not grow with each one. Per username and window (LOGIN_LOCKOUT_MINUTES) the ledger gets
the first failure (`auth.login_failed`) and at most one `auth.lockout`; django-axes
(AccessAttempt) counts the failures in between.
"""

from datetime import timedelta

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

import audit
from audit.models import LedgerEvent
from audit.services import canonical_json
from core.http import client_ip


def _username(value) -> str:
    return str(value or "")[:150]


def _recorded_in_window(action: str, *, username: str, ip: str = "") -> bool:
    """Whether the ledger already has `action` for this username (or address) in the window."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    # `after` is the exact canonical JSON that was hashed, so equal text is an equal payload.
    match = Q(after=canonical_json({"username": username}))
    if ip:
        match |= Q(ip=ip)
    return LedgerEvent.objects.filter(match, action=action, at__gte=since).exists()


@receiver(user_logged_in)
def _login(sender, user, **kwargs):
    audit.record(action="auth.login", actor=user, target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # refused by the lockout, which has its own event
    # Only the username is kept: never the password.
    username = _username(credentials.get("username"))
    if _recorded_in_window("auth.login_failed", username=username):
        return
    audit.record(action="auth.login_failed", after={"username": username})


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    username = _username(username)
    # Once per window for the username, and once for an address trying many usernames.
    if _recorded_in_window("auth.lockout", username=username, ip=client_ip(request)):
        return
    audit.record(action="auth.lockout", after={"username": username})
