"""The public newsroom (tin báo chí): statements, their signed PDFs, subscription, unsubscribe.

Nothing here shows a publication before its publish_at (the embargo); a withdrawn
(cancelled) statement leaves the lists and its page says it was withdrawn.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from release.models import IssuedDocument
from roles.models import Organisation

from . import publication as pubs
from . import subscriptions
from .caching import newsroom_cached
from .models import Publication

PER_PAGE = 20


def _organisation_by_key(key: str) -> Organisation | None:
    """An organisation by its code (or its pk, for old links)."""
    key = (key or "").strip()
    if not key:
        return None
    organisation = Organisation.objects.filter(code=key).first()
    if organisation is None and key.isdigit():
        organisation = Organisation.objects.filter(pk=int(key)).first()
    return organisation


def _listing(request, organisation: Organisation | None, template_extra: dict):
    query = request.GET.get("q", "").strip()[:200]
    if organisation is None:
        organisation_filter = _organisation_by_key(request.GET.get("co-quan", ""))
    else:
        organisation_filter = organisation
    qs = pubs.publications_search(
        pubs.publications_public(), query=query, organisation=organisation_filter
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "publications": page.object_list,
        "query": query,
        "organisation": organisation,
        "organisation_filter": organisation_filter,
        **template_extra,
    }
    if organisation is None:
        context["organisations"] = list(
            Organisation.objects.filter(
                pk__in=pubs.publications_public().values("organisation_id")
            ).order_by("name")
        )
    return render(request, "release/newsroom/list.html", context)


@login_not_required
@newsroom_cached
def newsroom(request):
    """All organisations' public statements, newest first; search and filter."""
    return _listing(request, None, {})


@login_not_required
@newsroom_cached
def newsroom_organisation(request, org: str):
    """One organisation's statements and its subscription box."""
    organisation = _organisation_by_key(org)
    if organisation is None:
        raise Http404(_("Không tìm thấy cơ quan."))
    if organisation.code != org:
        return redirect("release:newsroom-organisation", organisation.code, permanent=True)
    user = request.user
    extra = {"subscription_box": True}
    if user.is_authenticated and hasattr(user, "journalist_profile"):
        extra["is_journalist"] = True
        extra["subscription"] = subscriptions.journalist_subscription(user, organisation)
        extra["refusal"] = subscriptions.journalist_subscribe_refusal(user)
    return _listing(request, organisation, extra)


def _publication(org: str, pk: int) -> Publication:
    return get_object_or_404(
        Publication.objects.select_related("organisation", "document"),
        pk=pk,
        organisation__code=org,
    )


@login_not_required
@newsroom_cached(follows_embargoes=False)
def publication_detail(request, org: str, pk: int, slug: str | None = None):
    """One statement: title, number, date, body, the press-conference record, PDF and QR."""
    publication = _publication(org, pk)
    if not pubs.publication_was_published(publication):
        raise Http404(_("Không tìm thấy thông cáo."))
    if slug != pubs.publication_slug(publication):  # a blank slug is "thong-cao", not a loop
        return redirect(pubs.publication_url(publication), permanent=True)
    document = publication.document
    withdrawn = document.status == IssuedDocument.Status.CANCELLED
    if not withdrawn and not pubs.publication_is_public(publication):
        raise Http404(_("Không tìm thấy thông cáo."))
    context = {
        "publication": publication,
        "document": document,
        "organisation": publication.organisation,
        "withdrawn": withdrawn,
        "pdf_url": pubs.publication_pdf_url(publication),
    }
    # 410 Gone: the statement existed and was withdrawn (thu hồi); its page says why.
    return render(
        request, "release/newsroom/detail.html", context, status=410 if withdrawn else 200
    )


@login_not_required
@newsroom_cached(follows_embargoes=False)
def publication_pdf(request, org: str, pk: int):
    """The signed PDF, for anyone once the statement is public (404 before and if withdrawn)."""
    publication = _publication(org, pk)
    document = publication.document
    if not pubs.publication_is_public(publication) or not document.pdf:
        raise Http404(_("Không tìm thấy thông cáo."))
    filename = document.number_display.replace("/", "-") + ".pdf"
    return FileResponse(
        document.pdf.open("rb"),
        as_attachment=False,
        filename=filename,
        content_type="application/pdf",
    )


@require_POST
def newsroom_subscribe(request, org: str):
    """A logged-in journalist subscribes (action=subscribe) or unsubscribes themselves."""
    organisation = get_object_or_404(Organisation, code=org)
    target = redirect("release:newsroom-organisation", organisation.code)
    if request.POST.get("action") == "unsubscribe":
        subscription = subscriptions.journalist_subscription(request.user, organisation)
        if subscription is not None:
            subscriptions.subscription_unsubscribe(subscription=subscription, by=request.user)
        messages.success(request, _("Bạn sẽ không nhận thông cáo của cơ quan này nữa."))
        return target
    try:
        subscriptions.subscription_self(organisation=organisation, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã đăng ký: thông cáo của %(org)s sẽ được gửi tới %(email)s.")
            % {"org": organisation.name, "email": request.user.email},
        )
    return target


# The link in each e-mail is the authorisation (a signed token): no login, no CSRF token, so
# that a mail client's one-click unsubscribe (RFC 8058, List-Unsubscribe-Post) works too.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: confirm; POST: take the address off the list."""
    subscription = subscriptions.subscription_from_token(token)
    if subscription is None:
        return render(request, "release/newsroom/unsubscribe.html", {"bad_token": True}, status=400)
    done = False
    if request.method == "POST":
        subscriptions.subscription_unsubscribe(subscription=subscription)
        subscription.refresh_from_db()
        done = True
    return render(
        request,
        "release/newsroom/unsubscribe.html",
        {
            "subscription": subscription,
            "done": done,
            "already": not subscription.active and not done,
            "now": timezone.now(),
        },
    )
