"""The reports area of the staff site (viewflow): `ReportsApp`."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import access, views


class ReportsApp(Application):
    title = _("Báo cáo, thống kê")
    icon = "insights"
    app_name = "reports"
    # One page, no viewsets: no sub-menu (viewflow's menu would say "No viewsets found").
    menu_template_name = None

    index_path = path("", views.dashboard, name="index")
    export_path = path("xuat.xlsx", views.dashboard_export, name="export")
    annual_path = path("nam/<int:year>/", views.annual, name="annual")
    annual_export_path = path("nam/<int:year>/xuat.xlsx", views.annual_export, name="annual-export")

    def has_view_permission(self, user, obj=None):
        # The views check the organisation asked for; the menu shows to any staff member.
        return access.may_use_reports(user)
