"""The staff site (viewflow's built-in Site), assembled from each app's applications.

It lives in config/ because only the URL configuration may import every app
(ARCHITECTURE.md: dependencies point one way).
"""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from release.staff import ReleaseApp
from reports.staff import ReportsApp
from roles.staff import OrganisationApp
from workflows.staff import (
    CasesApp,
    StatementsApp,
    WorkApp,
    case_flow_viewset,
    statement_flow_viewset,
)


def _inspection_app():
    from audit.staff import InspectionApp

    return InspectionApp()


class StaffSite(Site):
    # The site's menu starts with the work of the day and its counters (workflows/work/).
    menu_template_name = "workflows/work/_site_menu.html"

    def menu_items(self):
        # viewflow's own flow apps (kanban "Tổng quan", Inbox, Queue, process lists) stay the
        # engine's but are not in the menu: "Việc hôm nay / của tôi / chờ nhận" and the
        # registers stand for them.
        for app in super().menu_items():
            if getattr(app, "_flow_class", None) is None:
                yield app


site = StaffSite(
    title=_("phatngon — Phát ngôn báo chí"),
    viewsets=[
        WorkApp(),
        case_flow_viewset,
        CasesApp(),
        statement_flow_viewset,
        StatementsApp(),
        OrganisationApp(),
        ReleaseApp(),
        ReportsApp(),
        _inspection_app(),
    ],
)
