"""The inspector's application for the staff site (viewflow): `InspectionApp`."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import selectors, views


class InspectionApp(Application):
    title = _("Thanh tra nhật ký")
    icon = "policy"
    app_name = "inspection"

    index_path = path("", views.event_list, name="index")
    timeline_path = path(
        "doi-tuong/<str:target_type>/<str:target_id>/", views.target_timeline, name="timeline"
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
