"""Public verification of issued documents, staff register pages, signed-PDF downloads."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

import audit
from core import spreadsheets
from core.errors import DomainError
from core.filters import filter_page_state
from core.http import client_ip
from roles.selectors import actor_role, user_organisations

from . import access, amendments, selectors, services, verification
from .filters import RegisterFilter
from .models import IssuedDocument

# ---------------------------------------------------------------- permissions


def _deny(request, message: str):
    audit.record(
        action="access.denied",
        actor=request.user,
        target_type="page",
        target_id=request.path[:64],
    )
    raise PermissionDenied(message)


def _document_for_reader(request, pk: int) -> IssuedDocument:
    document = get_object_or_404(
        IssuedDocument.objects.select_related("organisation", "signer", "unit"), pk=pk
    )
    if not access.can_read_register(request.user, document.organisation):
        _deny(request, _("Bạn không có quyền xem sổ văn bản đi của cơ quan này."))
    return document


def _may_download(user, document: IssuedDocument) -> bool:
    return selectors.document_downloadable_by(user, document)


# ---------------------------------------------------------------- public verification


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp PDF cần kiểm tra"))


def _max_upload() -> int:
    return int(getattr(settings, "RELEASE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def _upload_allowed(request) -> bool:
    """A fixed one-minute window per client address: checking signatures is costly, and this
    page is public (RELEASE_VERIFY_UPLOADS_PER_MINUTE; 0 turns the limit off)."""
    limit = getattr(settings, "RELEASE_VERIFY_UPLOADS_PER_MINUTE", 20)
    if not limit:
        return True
    address = client_ip(request) or "unknown"
    key = f"release:verify-upload:{address}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= limit


def _check_upload(request, form: UploadForm) -> dict | None:
    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    limit = _max_upload()
    if upload.size > limit:
        form.add_error(
            "file",
            _("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": limit // (1024 * 1024)},
        )
        return None
    data = upload.read(limit + 1)
    # A statement under embargo is not in the register for the public yet.
    return verification.verify_result_masked(
        verification.document_verify_upload(data), request.user
    )


def _stored_signatures(document: IssuedDocument) -> tuple[list[dict], str]:
    """Validate the stored PDF's signatures; cached a few minutes per file (a public page)."""
    if not document.pdf:
        return [], ""
    key = f"release:signatures:{document.sha256}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    # pyHanko is imported only when a page needs it, not when the URLs load.
    from .validation import PdfCheckError, validate_pdf

    try:
        with document.pdf.open("rb") as handle:
            report = validate_pdf(handle.read())
    except PdfCheckError as exc:
        return [], str(exc.message)
    except OSError:
        return [], _("Không đọc được tệp văn bản đã lưu.")
    result = (verification.signature_dicts(report), "")
    cache.set(key, result, 300)
    return result


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request, token: str | None = None):
    """Anyone: see a registered document's status, or upload a PDF to check it."""
    document = None
    if token is not None:
        document = selectors.document_by_token(token)
        if document is None or selectors.document_embargoed_for(request.user, document):
            # Under embargo a statement looks exactly like an unknown token (staff excepted).
            return render(request, "release/verify.html", {"not_found": True}, status=404)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and not _upload_allowed(request):
        form.is_valid()  # cheap (the file is not opened); gives the form its cleaned_data
        form.add_error(None, _("Bạn đã gửi quá nhiều tệp để kiểm tra; hãy thử lại sau một phút."))
        status = 429
    elif request.method == "POST":
        result = _check_upload(request, form)
        if result is None:
            status = 400
    context = {"form": form, "result": result, "document": document}
    if document is not None:
        context["info"] = verification.document_public_info(document)
        context["signatures"], context["stored_error"] = _stored_signatures(document)
        if verification.signer_mismatch(document.signer_name, context["signatures"] or []):
            context["signer_mismatch"] = document.signer_name
        if result is not None:
            context["matches_document"] = result["sha256"] == document.sha256
    # The register's signer is the holder of none of the certificates: say so visibly.
    registered = (result or {}).get("document")
    if registered and verification.signer_mismatch(registered["signer"], result["signatures"]):
        context["signer_mismatch"] = registered["signer"]
    return render(request, "release/verify.html", context, status=status)


# ---------------------------------------------------------------- download


def download(request, pk: int):
    """Staff of the organisation (and whoever a hook allows): the signed PDF, logged."""
    document = get_object_or_404(IssuedDocument.objects.select_related("organisation"), pk=pk)
    if selectors.document_embargoed_for(request.user, document):
        raise Http404(_("Văn bản chưa được phát hành."))
    if not _may_download(request.user, document):
        _deny(request, _("Bạn không có quyền tải văn bản này."))
    if not document.pdf:
        raise Http404(_("Văn bản chưa được phát hành."))
    access.document_download_record(document=document, by=request.user)
    filename = document.number_display.replace("/", "-") + ".pdf"
    return FileResponse(
        document.pdf.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


# ---------------------------------------------------------------- staff register


def _register_organisation(request):
    organisations = user_organisations(request.user, roles=access.REGISTER_READERS).order_by("name")
    if not organisations:
        _deny(request, _("Chỉ văn thư, lãnh đạo và thanh tra của cơ quan xem sổ văn bản đi."))
    code = request.GET.get("org")
    organisation = organisations.filter(code=code).first() if code else organisations.first()
    if organisation is None:
        _deny(request, _("Bạn không có quyền xem sổ văn bản đi của cơ quan này."))
    return organisation, organisations


def _register_filter(request, organisation) -> RegisterFilter:
    """The register page and its exports filter alike (organisation checked first)."""
    return RegisterFilter(
        request.GET, queryset=selectors.register_documents(organisation=organisation)
    )


REGISTER_PAGE_SIZE = 100


def register(request):
    """The outgoing register (sổ đăng ký văn bản đi) with failed issues to retry."""
    organisation, organisations = _register_organisation(request)
    register_filter = _register_filter(request, organisation)
    documents, _values, errors = filter_page_state(register_filter)
    year = register_filter.selected_year() if not errors else None
    failed = selectors.register_documents(organisation=organisation).filter(
        status=IssuedDocument.Status.FAILED
    )
    stuck = services.documents_stuck(organisation=organisation)
    from django.core.paginator import Paginator

    page = Paginator(documents, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "release/register.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "documents": page.object_list,
            "page": page,
            "failed": failed,
            "stuck": stuck,
            "year": year,
            "years": selectors.register_years(organisation=organisation),
            "can_retry": access.can_retry(request.user, organisation),
            "can_cancel": access.can_cancel(request.user, organisation),
            "filter_errors": errors,
        },
        status=400 if errors else 200,
    )


REGISTER_COLUMNS = [
    gettext_lazy("Số, ký hiệu"),
    gettext_lazy("Ngày tháng"),
    gettext_lazy("Loại và trích yếu nội dung"),
    gettext_lazy("Người ký"),
    gettext_lazy("Nơi nhận"),
    gettext_lazy("Đơn vị, người nhận bản lưu"),
    gettext_lazy("Số lượng bản"),
    gettext_lazy("Ngày chuyển"),
    gettext_lazy("Ký nhận"),
    gettext_lazy("Ghi chú"),
    gettext_lazy("Trạng thái"),
]


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def register_rows(documents) -> list[list]:
    """Return the register as rows of plain values (the 10 columns of NĐ 30/2020 Phụ lục IV.I)."""
    rows = []
    for d in documents:
        status = d.get_status_display()
        if getattr(d, "superseded", False):
            status = _("Đã được đính chính")
        notes = [d.note] if d.note else []
        if d.corrects_id:
            notes.append(_("Đính chính văn bản %(n)s") % {"n": d.corrects.number_display})
        if d.cancel_reason:
            notes.append(_("Thu hồi: %(r)s") % {"r": d.cancel_reason})
        rows.append(
            [
                d.number_display,
                _date(d.doc_date),
                f"{d.get_doc_type_display()}: {d.summary}",
                d.signer_name,
                "; ".join(d.recipients or []),
                d.archive_holders,
                d.copies,
                _date(d.dispatched_at),
                # Ký nhận: signed by hand on the printed, bound register (NĐ 30/2020 Art. 16).
                "",
                " — ".join(notes),
                status,
            ]
        )
    return rows


def register_export(request, fmt: str):
    """Export the register as CSV or XLSX."""
    organisation, _orgs = _register_organisation(request)
    register_filter = _register_filter(request, organisation)
    if not register_filter.is_valid():
        # The register page says what is wrong, next to the filter.
        return redirect(f"{reverse('outgoing:register:index')}?{request.GET.urlencode()}")
    year = register_filter.selected_year()
    rows = register_rows(register_filter.qs)
    audit.record(
        action="register.export",
        actor=request.user,
        actor_role=actor_role(request.user, organisation),
        organisation=organisation,
        target_type="release.register",
        target_id=f"{organisation.code}:{year or 'all'}",
        after={"format": fmt, "rows": len(rows)},
    )
    stem = f"so-van-ban-di-{organisation.code}-{year or 'tat-ca'}"
    return spreadsheets.spreadsheet_response(
        fmt, REGISTER_COLUMNS, rows, title=_("Sổ văn bản đi"), stem=stem
    )


def register_export_csv(request):
    return register_export(request, "csv")


def register_export_xlsx(request):
    return register_export(request, "xlsx")


@require_POST
def document_retry(request, pk: int):
    """Registry officer: issue again a failed document, or one queued for too long."""
    document = _document_for_reader(request, pk)
    if not access.can_retry(request.user, document.organisation):
        _deny(request, _("Chỉ văn thư của cơ quan được phát hành lại."))
    try:
        services.document_retry(document=document, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã đưa văn bản %(n)s vào hàng chờ.") % {"n": document.number_display}
        )
    return redirect(_register_url(document))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 3})
    )


@require_http_methods(["GET", "POST"])
def document_cancel(request, pk: int):
    """Registry officer or leadership: cancel (thu hồi) a document with a reason."""
    document = _document_for_reader(request, pk)
    if not access.can_cancel(request.user, document.organisation):
        _deny(request, _("Chỉ văn thư hoặc lãnh đạo cơ quan được thu hồi văn bản."))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendments.document_cancel(
                document=document,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(
                request, _("Đã thu hồi văn bản %(n)s.") % {"n": document.number_display}
            )
            return redirect(_register_url(document))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "release/cancel.html", {"document": document, "form": form}, status=status
    )


def _register_url(document: IssuedDocument) -> str:
    return reverse("outgoing:register:index") + f"?org={document.organisation.code}"
