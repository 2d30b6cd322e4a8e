from django.urls import path

from . import views

app_name = "roles"
urlpatterns = [
    path("nguoi-phat-ngon/", views.directory, name="directory"),
    path("spokespersons/", views.directory, name="directory-en"),
    path("nha-bao/dang-ky/", views.journalist_register, name="register"),
    path("nha-bao/dang-ky/da-gui/", views.journalist_register_done, name="register-done"),
    path(
        "nha-bao/xac-nhan/<uidb64>/<token>/",
        views.journalist_register_confirm,
        name="register-confirm",
    ),
    path("tai-khoan/", views.account, name="account"),
]
