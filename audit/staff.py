"""The inspector's application for the staff site (viewflow): `InspectionApp`."""

from urllib.parse import quote, unquote

from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import selectors, views


class LedgerKeyConverter:
    """Any target type or id the ledger holds, as one URL segment.

    Ids are free text (a refused page's path has slashes; some are empty, long or
    unicode), so the value is percent-encoded once more than usual: Django then quotes the
    `%` and the server decodes it back, and no id can raise NoReverseMatch. "-" stands
    for the empty id; a literal "-" and the dot segments "." and ".." are escaped so that
    neither browsers nor proxies rewrite them.
    """

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return "" if value == "-" else unquote(value)

    def to_url(self, value) -> str:
        value = str(value)
        if value == "":
            return "-"
        if value in ("-", ".", ".."):
            return "".join(f"%{ord(c):02X}" for c in value)
        return quote(value, safe="")


register_converter(LedgerKeyConverter, "ledgerkey")


class InspectionApp(Application):
    title = _("Thanh tra nhật ký")
    icon = "policy"
    app_name = "inspection"
    # Plain pages, no viewsets: viewflow's default menu would show its developer warning.
    menu_template_name = "audit/_menu.html"

    index_path = path("", views.event_list, name="index")
    timeline_path = path(
        "doi-tuong/<ledgerkey:target_type>/<ledgerkey:target_id>/",
        views.target_timeline,
        name="timeline",
    )
    chain_path = path("chuoi/", views.chain_status, name="chain")
    verify_path = path("chuoi/kiem-tra/", views.chain_verify, name="verify")
    exports_path = path("xuat/", views.export_list, name="exports")
    export_create_path = path("xuat/tao/", views.export_create, name="export_create")
    export_path = path("xuat/<int:pk>/", views.export_detail, name="export")
    download_path = path("xuat/<int:pk>/tai-ve/", views.export_download, name="download")

    def has_view_permission(self, user, obj=None):
        # viewflow's SiteMiddleware refuses others with 403 before any view runs; the
        # project's 403 handler records the refusal. The views check the scope again.
        return selectors.access_scope(user) is not None
