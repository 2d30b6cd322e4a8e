from django.urls import path

from .cases import views
from .notifications import views as notification_views

app_name = "workflows"
urlpatterns = [
    path("nha-bao/ho-so/", views.journalist_cases, name="journalist-cases"),
    path("nha-bao/ho-so/gui/", views.journalist_submit, name="journalist-submit"),
    path("nha-bao/ho-so/<str:reference>/", views.journalist_case, name="journalist-case"),
    path("thong-bao/", notification_views.notification_list_public, name="notifications"),
]
