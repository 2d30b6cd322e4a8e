from django.urls import path

from .cases import views
from .notifications import views as notification_views
from .statements import views as statement_views

app_name = "workflows"
urlpatterns = [
    path("nha-bao/ho-so/", views.journalist_cases, name="journalist-cases"),
    path("nha-bao/ho-so/gui/", views.journalist_submit, name="journalist-submit"),
    path("nha-bao/ho-so/<str:reference>/", views.journalist_case, name="journalist-case"),
    path("ho-so/<int:pk>/tep/<int:attachment_pk>/", views.case_attachment, name="case-attachment"),
    path("ho-so/<int:pk>/du-thao.pdf", views.case_draft_pdf, name="case-draft-pdf"),
    path(
        "ho-so/<int:pk>/du-thao.png",
        views.case_draft_pdf,
        {"as_image": True},
        name="case-draft-png",
    ),
    path(
        "thong-tin/<int:pk>/du-thao.pdf",
        statement_views.statement_draft_pdf,
        name="statement-draft-pdf",
    ),
    path(
        "thong-tin/<int:pk>/du-thao.png",
        statement_views.statement_draft_pdf,
        {"as_image": True},
        name="statement-draft-png",
    ),
    path("thong-bao/", notification_views.notification_list_public, name="notifications"),
]
