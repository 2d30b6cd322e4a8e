from django.urls import path

from . import views

app_name = "release"
urlpatterns = [
    path("xac-thuc/", views.verify, name="verify-upload"),
    path("xac-thuc/<str:token>/", views.verify, name="verify"),
    path("verify/", views.verify, name="verify-upload-en"),
    path("verify/<str:token>/", views.verify, name="verify-en"),
    path("van-ban/<int:pk>/tai-ve/", views.download, name="download"),
]
