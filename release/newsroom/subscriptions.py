"""The press distribution list: staff add and remove addresses, journalists subscribe
themselves, anyone unsubscribes with the signed link of an e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from core.errors import DomainError
from roles.selectors import actor_role

from .access import can_manage_distribution
from .models import Subscription

UNSUBSCRIBE_SALT = "release.unsubscribe"


def subscriptions_active(organisation) -> QuerySet[Subscription]:
    return Subscription.objects.filter(organisation=organisation, active=True).select_related(
        "press_agency", "user"
    )


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=UNSUBSCRIBE_SALT)


def subscription_from_token(token: str) -> Subscription | None:
    """The subscription an unsubscribe token names, or None for a bad or forged token."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Subscription.objects.select_related("organisation")
        .filter(pk=data.get("s"), email=data.get("e"))
        .first()
    )


def unsubscribe_url(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse(
        "release:unsubscribe", args=[unsubscribe_token(subscription)]
    )


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(
            _("Địa chỉ thư điện tử không hợp lệ."), code="email", field="email"
        ) from exc
    return email


def _create_subscription(**fields) -> Subscription:
    organisation, email = fields["organisation"], fields["email"]
    if Subscription.objects.filter(organisation=organisation, email=email, active=True).exists():
        raise DomainError(
            _("Địa chỉ %(email)s đã có trong danh sách nhận thông cáo của cơ quan.")
            % {"email": email},
            code="duplicate",
            field="email",
        )
    try:
        with transaction.atomic():
            return Subscription.objects.create(**fields)
    except IntegrityError as exc:  # a concurrent request added it first
        raise DomainError(
            _("Địa chỉ %(email)s đã có trong danh sách nhận thông cáo của cơ quan.")
            % {"email": email},
            code="duplicate",
            field="email",
        ) from exc


def subscription_add(
    *, organisation, email: str, name: str = "", press_agency=None, by
) -> Subscription:
    """Staff: add a press agency's newsroom address to the organisation's list."""
    if not can_manage_distribution(by, organisation):
        raise DomainError(
            _("Chỉ người phát ngôn, văn thư hoặc người đứng đầu cơ quan quản lý danh sách."),
            code="forbidden",
        )
    email = _clean_email(email)
    name = (name or "").strip()[:255] or (press_agency.name if press_agency else "")
    with transaction.atomic():
        subscription = _create_subscription(
            organisation=organisation,
            email=email,
            name=name,
            press_agency=press_agency,
            created_by=by,
        )
        audit.record(
            action="subscription.added",
            actor=by,
            actor_role=actor_role(by, organisation),
            organisation=organisation,
            target=subscription,
            after={"email": email, "name": name, "press_agency": getattr(press_agency, "pk", None)},
        )
    return subscription


def journalist_subscribe_refusal(user) -> str | None:
    """Why `user` may not subscribe themselves (None when they may)."""
    profile = getattr(user, "journalist_profile", None) if user.is_authenticated else None
    if profile is None:
        return _("Chỉ nhà báo có tài khoản trên hệ thống được tự đăng ký nhận thông cáo.")
    if not profile.is_accredited:
        return _(
            "Thẻ nhà báo của bạn chưa được xác minh hoặc đã hết hạn (trạng thái: %(s)s); "
            "chỉ nhà báo đã được xác minh mới tự đăng ký nhận thông cáo."
        ) % {"s": profile.get_effective_status_display()}
    if not user.email:
        return _("Tài khoản của bạn chưa có địa chỉ thư điện tử.")
    return None


def journalist_subscription(user, organisation) -> Subscription | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Subscription.objects.filter(organisation=organisation, user=user, active=True).first()


def subscription_self(*, organisation, user) -> Subscription:
    """An accredited journalist subscribes their own address."""
    refusal = journalist_subscribe_refusal(user)
    if refusal:
        raise DomainError(refusal, code="not_accredited")
    email = _clean_email(user.email)
    profile = user.journalist_profile
    with transaction.atomic():
        subscription = _create_subscription(
            organisation=organisation,
            email=email,
            name=user.get_full_name() or user.get_username(),
            user=user,
            press_agency=profile.press_agency,
            created_by=user,
        )
        audit.record(
            action="subscription.subscribed",
            actor=user,
            actor_role="journalist",
            organisation=organisation,
            target=subscription,
            after={"email": email},
        )
    return subscription


def _end(subscription: Subscription, *, action: str, by=None, role="") -> bool:
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if not subscription.active:
            return False
        subscription.active = False
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["active", "unsubscribed_at"])
        audit.record(
            action=action,
            actor=by,
            actor_role=role,
            organisation=subscription.organisation,
            target=subscription,
            after={"email": subscription.email},
        )
    return True


def subscription_deactivate(*, subscription: Subscription, by) -> bool:
    """Staff: take an address off the list (False when it was already off)."""
    if not can_manage_distribution(by, subscription.organisation):
        raise DomainError(
            _("Chỉ người phát ngôn, văn thư hoặc người đứng đầu cơ quan quản lý danh sách."),
            code="forbidden",
        )
    return _end(
        subscription,
        action="subscription.deactivated",
        by=by,
        role=actor_role(by, subscription.organisation),
    )


def subscription_unsubscribe(*, subscription: Subscription, by=None) -> bool:
    """The addressee (unsubscribe link) or the journalist: stop receiving statements."""
    return _end(
        subscription,
        action="subscription.unsubscribed",
        by=by,
        role="subscriber",
    )
