"""Own-account pages: change one's password, reset a forgotten one by e-mail.

Django's auth views do the work; these subclasses add the ledger events (never a password)
and build the reset link from SITE_URL rather than the request's Host header.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.db import transaction
from django.template import loader

import audit
from outbox.services import mail_queue


def password_change_record(*, user) -> None:
    """Ledger: a signed-in user changed their own password."""
    audit.record(action="auth.password_change", actor=user, target=user)


def password_reset_request_record(*, user) -> None:
    """Ledger: a reset link was mailed to the user's address (the requester is anonymous)."""
    audit.record(action="auth.password_reset_request", target=user)


def password_reset_record(*, user) -> None:
    """Ledger: the user set a new password through a reset link."""
    audit.record(action="auth.password_reset", actor=user, target=user)


class PasswordChangeView(auth_views.PasswordChangeView):
    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_record(user=form.user)
        return response


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, whose mail goes through the outbox: no web request sends e-mail."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mail_queue(to=to_email, subject=subject, body=body)


# Django marks its reset views login_not_required (LoginRequiredMiddleware lets anonymous
# visitors in); the subclasses inherit the mark with `dispatch`.
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        # The link points at SITE_URL: a forged Host header cannot redirect it elsewhere.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        # Unknown or inactive address: no mail, no event, and the same "sent" page (Django's).
        with transaction.atomic():  # the ledger event and the queued mail, together
            for user in form.get_users(form.cleaned_data["email"]):
                password_reset_request_record(user=user)
            return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        password_reset_record(user=form.user)
        return response


def login_failure_limit(request, credentials) -> int:
    """The threshold axes compares with the larger of the username's and the address's
    failures: LOGIN_FAILURE_LIMIT once the username alone has reached it, otherwise the
    address's (higher) LOGIN_ADDRESS_FAILURE_LIMIT.

    So an account locks after 10 failures whatever address they come from, and an address
    after 50 whatever usernames it tries — colleagues behind one office address are not
    locked out by one person's typos.
    """
    from axes.attempts import get_cool_off_threshold
    from axes.helpers import get_client_username
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Sum

    per_user = settings.LOGIN_FAILURE_LIMIT
    per_address = max(settings.LOGIN_ADDRESS_FAILURE_LIMIT, per_user)
    username = get_client_username(request, credentials)
    if not username:
        return per_address
    failures = (
        AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )
    return per_user if failures >= per_user else per_address
