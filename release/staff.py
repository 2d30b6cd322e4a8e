"""The release area of the staff site: both registers and the newsroom's press list."""

from django.urls import path
from django.utils.translation import gettext_lazy
from viewflow.urls import Application, Viewset
from viewflow.urls.sites import AppMenuMixin

from roles.selectors import user_organisations

from . import access, incoming, incoming_views, views
from .newsroom.access import DISTRIBUTION_ROLES
from .newsroom.staff import DistributionViewset


class RegisterViewset(AppMenuMixin, Viewset):
    title = gettext_lazy("Sổ văn bản đi")
    icon = "outbox"
    index_path = path("", views.register, name="index")
    export_csv_path = path("xuat.csv", views.register_export_csv, name="export-csv")
    export_xlsx_path = path("xuat.xlsx", views.register_export_xlsx, name="export-xlsx")
    retry_path = path("<int:pk>/phat-hanh-lai/", views.document_retry, name="retry")
    cancel_path = path("<int:pk>/thu-hoi/", views.document_cancel, name="cancel")

    def has_view_permission(self, user, obj=None):
        return (
            user.is_authenticated
            and user_organisations(user, roles=access.REGISTER_READERS).exists()
        )


class IncomingViewset(AppMenuMixin, Viewset):
    title = gettext_lazy("Sổ văn bản đến")
    icon = "move_to_inbox"
    index_path = path("", incoming_views.incoming_index, name="index")
    export_csv_path = path("xuat.csv", incoming_views.incoming_export_csv, name="export-csv")
    export_xlsx_path = path("xuat.xlsx", incoming_views.incoming_export_xlsx, name="export-xlsx")

    def has_view_permission(self, user, obj=None):
        return (
            user.is_authenticated
            and user_organisations(user, roles=incoming.INCOMING_READERS).exists()
        )


class ReleaseApp(Application):
    title = gettext_lazy("Văn bản đi, đến")
    icon = "description"
    # Not "release": that namespace belongs to the public pages in release/urls.py.
    app_name = "outgoing"
    viewsets = [
        RegisterViewset(app_name="register"),
        IncomingViewset(app_name="incoming"),
        DistributionViewset(app_name="distribution"),
    ]

    def has_view_permission(self, user, obj=None):
        # Each page checks its own roles; the app is open to whoever may use one of them.
        roles = (
            set(access.REGISTER_READERS) | set(incoming.INCOMING_READERS) | set(DISTRIBUTION_ROLES)
        )
        return user.is_authenticated and user_organisations(user, roles=roles).exists()
