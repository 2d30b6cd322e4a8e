"""Public pages (spokesperson directory, journalist registration) and staff pages."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from outbox import services as outbox

from . import selectors, services
from .forms import JournalistRegistrationForm, JournalistReviewForm, PreferenceForm
from .models import JournalistProfile


@login_not_required
def directory(request):
    """Public spokesperson directory (NĐ 244/2026 Art. 3.3)."""
    return render(
        request,
        "roles/directory.html",
        {"organisations": selectors.directory_organisations()},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def journalist_register(request):
    """Journalist self-registration: the account stays inactive until the e-mail is confirmed."""
    form = JournalistRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            first, _sep, last = form.cleaned_data["full_name"].strip().rpartition(" ")
            user.first_name, user.last_name = (first, last) if first else ("", last)
            user.email = form.cleaned_data["email"]
            user.is_active = False
            user.save()
            try:
                profile = services.journalist_register(
                    user=user,
                    press_agency=form.cleaned_data["press_agency"],
                    press_card_number=form.cleaned_data["press_card_number"],
                    card_expiry=form.cleaned_data["card_expiry"],
                    phone=form.cleaned_data["phone"],
                )
            except DomainError as exc:
                transaction.set_rollback(True)
                form.add_error(exc.field, exc.message)
                return render(request, "roles/register.html", {"form": form}, status=400)
            _queue_confirmation(request, profile)
        return redirect("roles:register-done")
    status = 400 if request.method == "POST" else 200
    return render(request, "roles/register.html", {"form": form}, status=status)


def _queue_confirmation(request, profile: JournalistProfile) -> None:
    """Queue the confirmation e-mail with the account (the worker sends it after commit)."""
    user = profile.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("roles:register-confirm", args=[uid, token]))
    body = render_to_string("roles/email/confirm.txt", {"user": user, "link": link})
    outbox.mail_queue(
        to=user.email, subject=_("[phatngon] Xác nhận địa chỉ thư điện tử"), body=body
    )


@login_not_required
def journalist_register_done(request):
    return render(request, "roles/register_done.html")


@login_not_required
def journalist_register_confirm(request, uidb64, token):
    try:
        user = get_user_model().objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not hasattr(user, "journalist_profile"):
        raise Http404(_("Liên kết xác nhận không hợp lệ."))
    if not default_token_generator.check_token(user, token):
        return render(request, "roles/register_confirm.html", {"ok": False}, status=400)
    services.journalist_confirm_email(profile=user.journalist_profile)
    return render(request, "roles/register_confirm.html", {"ok": True})


def _require_reviewer(request):
    if not services.can_review_journalists(request.user):
        raise PermissionDenied(_("Chỉ văn thư hoặc người phát ngôn mới được xác minh nhà báo."))


def journalist_list(request):
    """Staff: accreditations to review, newest first, pending on top."""
    _require_reviewer(request)
    status = request.GET.get("status", "pending")
    profiles = JournalistProfile.objects.select_related("user", "press_agency", "reviewed_by")
    if status in JournalistProfile.Status.values:
        profiles = profiles.filter(status=status)
    return render(
        request,
        "roles/journalist_list.html",
        {
            "profiles": profiles[:200],
            "status": status,
            "statuses": JournalistProfile.Status.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def journalist_review(request, pk):
    """Staff: verify or reject one accreditation with a reason."""
    _require_reviewer(request)
    profile = get_object_or_404(
        JournalistProfile.objects.select_related("user", "press_agency"), pk=pk
    )
    form = JournalistReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.journalist_review(
                profile=profile,
                approve=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã lưu kết quả xác minh."))
            return redirect("organisation:accreditation:index")
    return render(request, "roles/journalist_review.html", {"profile": profile, "form": form})


def _preference_form(request):
    """The own-account settings form; on a valid POST, saves it and returns None (redirect)."""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_email_set(
                user=request.user, enabled=form.cleaned_data["email_notifications"]
            )
            messages.success(request, _("Đã lưu tuỳ chọn thông báo."))
            return None
        return form
    return PreferenceForm(initial={"email_notifications": selectors.user_wants_email(request.user)})


@require_http_methods(["GET", "POST"])
def my_roles(request):
    """Staff: the roles and spokesperson assignments the current user holds, and their settings."""
    form = _preference_form(request)
    if form is None:
        return redirect(request.path)
    memberships = request.user.memberships.select_related("organisation", "unit").order_by(
        "-valid_from"
    )
    assignments = request.user.spokesperson_assignments.select_related("organisation")
    profile = getattr(request.user, "journalist_profile", None)
    return render(
        request,
        "roles/my_roles.html",
        {
            "memberships": memberships,
            "assignments": assignments,
            "profile": profile,
            "preference_form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def account(request):
    """Anyone signed in (journalists above all): own account and notification settings."""
    form = _preference_form(request)
    if form is None:
        return redirect("roles:account")
    return render(request, "roles/account.html", {"preference_form": form})
