"""Issued documents: metadata and the signed PDF; anyone may verify a PDF."""

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from release import access as release_access
from release import verification as release_verification
from release.models import IssuedDocument

from ..errors import TooLarge
from ..serializers.documents import (
    DocumentSerializer,
    VerifyResultSerializer,
    VerifyUploadSerializer,
)
from .base import ApiMixin, record_denied


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the view streams the file itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def document_readable_by(user, document: IssuedDocument) -> bool:
    """The same rule as the web download (release.selectors.document_downloadable_by)."""
    from release.selectors import document_downloadable_by

    return document_downloadable_by(user, document)


class DocumentViewSet(ApiMixin, GenericViewSet):
    """Issued (signed) documents: metadata and the signed PDF."""

    lookup_value_regex = "[0-9]+"

    serializer_class = DocumentSerializer
    queryset = IssuedDocument.objects.select_related("organisation")

    def _document(self, pk) -> IssuedDocument:
        if not str(pk).isdigit():
            raise NotFound()
        document = get_object_or_404(self.queryset, pk=int(pk))
        if not document_readable_by(self.request.user, document):
            record_denied(self.request)
            raise PermissionDenied(_("Bạn không có quyền tải văn bản này."))
        return document

    @extend_schema(tags=["documents"])
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._document(pk)).data)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        tags=["documents"],
        summary="Tải tệp PDF đã ký",
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        document = self._document(pk)
        if not document.pdf:
            raise NotFound(_("Văn bản chưa được phát hành."))
        release_access.document_download_record(document=document, by=request.user)
        return FileResponse(
            document.pdf.open("rb"),
            as_attachment=True,
            filename=document.number_display.replace("/", "-") + ".pdf",
            content_type="application/pdf",
        )


class VerifyView(ApiMixin, APIView):
    """Anyone: check a PDF's signatures and whether it is in an outgoing register."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": VerifyUploadSerializer},
        responses={200: VerifyResultSerializer},
        tags=["verify"],
        auth=[],
        summary="Kiểm tra tệp PDF đã ký",
    )
    def post(self, request):
        form = VerifyUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        limit = settings.RELEASE_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise TooLarge(_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": limit // (1024 * 1024)})

        result = release_verification.document_verify_upload(upload.read(limit + 1))
        # An embargoed statement's PDF looks unregistered until it is published (as on the web).
        result = release_verification.verify_result_masked(result, request.user)
        document = None
        if result["document"]:
            info = result["document"]
            registered = (
                IssuedDocument.objects.select_related("organisation")
                .filter(verify_token=info["verify_token"])
                .first()
            )
            document = {
                "number": info["number"],
                "organisation": registered.organisation.code if registered else "",
                "organisation_name": info["agency"],
                "issued_at": info["issued_at"],
                "status": info["status"],
                "verify_url": request.build_absolute_uri(
                    reverse("release:verify", args=[info["verify_token"]])
                ),
            }
        return Response({**result, "document": document})
