"""Inspector's pages: read-only, scoped by AUDIT_ACCESS_POLICY, and each visit is recorded."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

import audit
from core.tasks import task_send_on_commit

from . import exports, labels, selectors
from .filters import EventFilter
from .forms import ExportForm
from .models import AuditExport
from .tasks import verify_ledger_task


def _url(request, name, *args):
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return reverse(f"{namespace}:{name}" if namespace else name, args=args)


def _require_scope(request):
    """Return the user's inspection scope, or raise 403.

    The project's 403 handler (config.views.permission_denied) records every refusal in
    the ledger as `access.denied`.
    """
    scope = selectors.access_scope(request.user)
    if scope is None:
        raise PermissionDenied(_("Chỉ thanh tra mới được xem nhật ký kiểm toán."))
    return scope


def _record_view(request, scope, action, **kwargs):
    audit.record(
        action=action,
        actor=request.user,
        actor_role=exports.inspector_role(request.user),
        organisation=exports.inspector_organisation(request.user, scope),
        **kwargs,
    )


def _page_size() -> int:
    return getattr(settings, "AUDIT_EVENTS_PER_PAGE", 50)


def _events_page(request, qs):
    paginator = Paginator(qs.order_by("-seq"), _page_size())
    return _described(paginator.get_page(request.GET.get("page")))


def _described(page):
    """The page's events, each with its action, role, organisation and target in words."""
    page.object_list = labels.events_describe(page.object_list)
    return page


@require_http_methods(["GET"])
def event_list(request):
    """Events in the inspector's scope, filtered and paginated, newest first."""
    scope = _require_scope(request)
    # The page, its exports and the API share one FilterSet; scoping comes before it.
    event_filter = EventFilter(
        request.GET or None, queryset=selectors.events_in_scope(scope), scope=scope
    )
    form = event_filter.form
    filters = {}
    status = 200
    if event_filter.is_bound and not event_filter.is_valid():
        qs = event_filter.queryset.none()
        status = 400
    else:
        qs = event_filter.qs
        if event_filter.is_bound:
            filters = form.filters()
    page = _events_page(request, qs)
    _record_view(
        request,
        scope,
        "audit.view_events",
        target_type="audit.ledger",
        after={"filters": filters, "page": page.number},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "export_form": ExportForm(),
            "page": page,
            "query": query.urlencode(),
            "scope": scope,
            "timeline_url": _url(request, "index"),
            "export_url": _url(request, "export_create"),
            "action_labels": sorted(
                ((code, str(label)) for code, label in labels.ACTION_LABELS.items()),
                key=lambda item: item[1],
            ),
        },
        status=status,
    )


@require_http_methods(["GET"])
def target_timeline(request, target_type, target_id):
    """Every event about one case, statement, document or other object, oldest first."""
    scope = _require_scope(request)
    # Exact match, also for an empty id (EventFilter would drop an empty filter).
    qs = selectors.events_in_scope(scope).filter(target_type=target_type, target_id=target_id)
    paginator = Paginator(qs.order_by("seq"), _page_size())
    page = _described(paginator.get_page(request.GET.get("page")))
    _record_view(
        request,
        scope,
        "audit.view_timeline",
        target_type=target_type[:100],
        target_id=target_id[:64],
        after={"page": page.number},
    )
    return render(
        request,
        "audit/timeline.html",
        {
            "page": page,
            "target_type": target_type,
            "target_id": target_id,
            "target_name": labels.target_names([(target_type, target_id)]).get(
                (target_type, target_id), target_id
            ),
        },
    )


@require_http_methods(["GET"])
def chain_status(request):
    """Head of the ledger, last anchor and the last verification result."""
    scope = _require_scope(request)
    _record_view(request, scope, "audit.view_chain_status", target_type="audit.ledger")
    return render(
        request,
        "audit/chain_status.html",
        {**selectors.chain_status(), "verify_url": _url(request, "verify")},
    )


@require_POST
def chain_verify(request):
    """Queue a verification of the whole chain now."""
    scope = _require_scope(request)
    with transaction.atomic():
        _record_view(request, scope, "audit.verify_request", target_type="audit.ledger")
        # The daily verification runs anyway: a lost send only skips this extra one.
        task_send_on_commit(verify_ledger_task)
    messages.success(
        request, _("Đã yêu cầu kiểm tra lại toàn bộ chuỗi; tải lại trang sau ít phút.")
    )
    return redirect(_url(request, "chain"))


@require_POST
def export_create(request):
    """Request an export of the filtered events (built by a Celery task)."""
    scope = _require_scope(request)
    form = ExportForm(request.POST)
    event_filter = EventFilter(request.POST, queryset=selectors.events_in_scope(scope), scope=scope)
    if not (form.is_valid() and event_filter.is_valid()):
        errors = form.errors.as_text() + event_filter.form.errors.as_text()
        messages.error(request, _("Bộ lọc xuất dữ liệu không hợp lệ: %(e)s") % {"e": errors})
        return redirect(_url(request, "exports"))
    start, end = event_filter.form.period()
    export = exports.export_request(
        user=request.user,
        scope=scope,
        form_filters=event_filter.form.filters(),
        start=start,
        end=end,
        fmt=form.cleaned_data["format"],
    )
    return redirect(_url(request, "export", export.pk))


def _own_export(request, pk):
    scope = _require_scope(request)
    export = get_object_or_404(AuditExport.objects.select_related("requested_by"), pk=pk)
    if export.requested_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied(_("Bản xuất này do người khác yêu cầu."))
    return scope, export


@require_http_methods(["GET"])
def export_list(request):
    """The user's exports and a form to request a new one."""
    scope = _require_scope(request)
    _record_view(request, scope, "audit.view_exports", target_type="audit.export")
    return render(
        request,
        "audit/export_list.html",
        {
            "exports": AuditExport.objects.filter(requested_by=request.user)[:50],
            "filter_form": EventFilter(scope=scope).form,
            "form": ExportForm(),
            "export_url": _url(request, "export_create"),
            "detail_url": _url(request, "exports"),
        },
    )


@require_http_methods(["GET"])
def export_detail(request, pk):
    """Progress of one export, and its download link when ready."""
    scope, export = _own_export(request, pk)
    polling = request.GET.get("poll") == "1"
    if not polling:
        # Automatic refreshes show no ledger content: only the first visit is recorded.
        _record_view(request, scope, "audit.view_export", target=export)
    return render(
        request,
        "audit/export_detail.html",
        {
            "export": export,
            "refresh": export.status in (AuditExport.Status.PENDING, AuditExport.Status.RUNNING),
            "download_url": _url(request, "download", export.pk),
            "filename": exports.export_filename(export),
        },
    )


@require_http_methods(["GET"])
def export_download(request, pk):
    """Download a finished export; the download is recorded with the file's SHA-256."""
    scope, export = _own_export(request, pk)
    if export.status != AuditExport.Status.DONE or not export.file:
        raise Http404(_("Bản xuất chưa sẵn sàng."))
    _record_view(
        request, scope, "audit.export_download", target=export, after={"sha256": export.sha256}
    )
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=exports.export_filename(export)
    )
