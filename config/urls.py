from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from roles import accounts

from . import metrics, views
from .site import site

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Prometheus, internal network only (config.metrics).
    path("metrics", metrics.metrics, name="metrics"),
    path("bat-dau/", views.start, name="start"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
    # Public: anonymous visitors switch language too (LoginRequiredMiddleware is on).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path(
        "dang-nhap/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # Own account: change the password (signed in), reset a forgotten one by e-mail (anyone).
    path("doi-mat-khau/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("quen-mat-khau/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "quen-mat-khau/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "quen-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("quan-tri/", admin.site.urls),
    path("", include("roles.urls")),
    path("", include("release.urls")),
    path("", include("audit.urls")),
    path("", include("workflows.urls")),
    path("api/", include("api.urls")),
    path("workspace/", site.urls),
]
handler403 = "config.views.permission_denied"
handler500 = "config.views.server_error"
