"""The staff site: viewflow's built-in Site, with one application per area of work."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Viewset
from viewflow.urls.sites import AppMenuMixin

from . import selectors, services, views


class AccreditationViewset(AppMenuMixin, Viewset):
    title = _("Xác minh nhà báo")
    icon = "badge"
    index_path = path("", views.journalist_list, name="index")
    review_path = path("<int:pk>/", views.journalist_review, name="review")

    def has_view_permission(self, user, obj=None):
        return services.can_review_journalists(user)


class MyRolesViewset(AppMenuMixin, Viewset):
    title = _("Vai trò của tôi")
    icon = "account_circle"
    index_path = path("", views.my_roles, name="index")


class OrganisationApp(Application):
    title = _("Cơ quan")
    icon = "account_balance"
    app_name = "organisation"
    viewsets = [MyRolesViewset(app_name="me"), AccreditationViewset(app_name="accreditation")]

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (bool(selectors.user_roles(user)) or user.is_superuser)
