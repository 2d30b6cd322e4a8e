"""The press distribution list on the staff site: keep the list, resend failed e-mails."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from viewflow.urls import Viewset
from viewflow.urls.sites import AppMenuMixin

from core.errors import DomainError
from release import views
from roles.models import PressAgency
from roles.selectors import user_organisations

from . import distribution, subscriptions
from .access import DISTRIBUTION_ROLES
from .models import Delivery, Subscription


def _distribution_organisation(request):
    """The organisation whose list the user keeps (?org=code); 403 for anyone else."""
    organisations = user_organisations(request.user, roles=DISTRIBUTION_ROLES).order_by("name")
    if not organisations:
        views._deny(
            request,
            _("Chỉ người phát ngôn, văn thư hoặc người đứng đầu cơ quan quản lý danh sách."),
        )
    code = request.GET.get("org") or request.POST.get("org")
    organisation = organisations.filter(code=code).first() if code else organisations.first()
    if organisation is None:
        views._deny(request, _("Bạn không quản lý danh sách nhận thông cáo của cơ quan này."))
    return organisation, organisations


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"))
    name = forms.CharField(label=gettext_lazy("Tên"), max_length=255, required=False)
    press_agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan báo chí"),
        queryset=PressAgency.objects.order_by("name"),
        required=False,
    )


def _distribution_url(name: str, organisation) -> str:
    return reverse(f"outgoing:distribution:{name}") + f"?org={organisation.code}"


@require_http_methods(["GET", "POST"])
def distribution_list(request):
    """The organisation's press list: add a press agency's address, take one off."""
    organisation, organisations = _distribution_organisation(request)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscriptions.subscription_add(
                organisation=organisation,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                press_agency=form.cleaned_data["press_agency"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error("email" if exc.field == "email" else None, exc.message)
        else:
            messages.success(request, _("Đã thêm địa chỉ vào danh sách nhận thông cáo."))
            return redirect(_distribution_url("index", organisation))
    return render(
        request,
        "release/newsroom/staff_subscriptions.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "subscriptions": subscriptions.subscriptions_active(organisation),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def distribution_deactivate(request, pk: int):
    organisation, _orgs = _distribution_organisation(request)
    subscription = get_object_or_404(Subscription, pk=pk, organisation=organisation)
    subscriptions.subscription_deactivate(subscription=subscription, by=request.user)
    messages.success(
        request, _("Đã ngừng gửi thông cáo tới %(email)s.") % {"email": subscription.email}
    )
    return redirect(_distribution_url("index", organisation))


def distribution_deliveries(request):
    """Failed e-mails of the organisation's statements, with a button to send again."""
    organisation, organisations = _distribution_organisation(request)
    return render(
        request,
        "release/newsroom/staff_deliveries.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "failed": distribution.deliveries_failed(organisation)[:500],
        },
    )


@require_POST
def distribution_retry(request, pk: int):
    organisation, _orgs = _distribution_organisation(request)
    delivery = get_object_or_404(Delivery, pk=pk, publication__organisation=organisation)
    try:
        distribution.delivery_retry(delivery=delivery, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi lại thư tới %(email)s.") % {"email": delivery.email})
    return redirect(_distribution_url("deliveries", organisation))


class DistributionViewset(AppMenuMixin, Viewset):
    title = gettext_lazy("Danh sách nhận thông cáo")
    icon = "forward_to_inbox"
    index_path = path("", distribution_list, name="index")
    deactivate_path = path("<int:pk>/ngung/", distribution_deactivate, name="deactivate")
    deliveries_path = path("thu-loi/", distribution_deliveries, name="deliveries")
    retry_path = path("thu-loi/<int:pk>/gui-lai/", distribution_retry, name="retry")

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and user_organisations(user, roles=DISTRIBUTION_ROLES).exists()
