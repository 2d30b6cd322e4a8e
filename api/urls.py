from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from .errors import not_found_view
from .views import audit, auth, cases, documents, organisations, reports, statements, tasks

app_name = "api"

router = SimpleRouter()
router.register("cases", cases.CaseViewSet, basename="case")
router.register("tasks", tasks.TaskViewSet, basename="task")
router.register("statements", statements.StatementViewSet, basename="statement")
router.register("documents", documents.DocumentViewSet, basename="document")

v1 = [
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/tokens/", auth.TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<int:pk>/", auth.TokenDetailView.as_view(), name="token-detail"),
    path("me/", auth.MeView.as_view(), name="me"),
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisations"),
    path("verify/", documents.VerifyView.as_view(), name="verify"),
    path("audit/events/", audit.AuditEventListView.as_view(), name="audit-events"),
    path("audit/verify/", audit.AuditVerifyView.as_view(), name="audit-verify"),
    path("reports/cases/", reports.CaseReportView.as_view(), name="reports-cases"),
    path(
        "reports/annual/<int:year>/",
        reports.AnnualReportView.as_view(),
        name="reports-annual",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        # The split view serves Swagger UI's start-up script as a file (?script), so the page
        # runs under the Content-Security-Policy without an inline <script>.
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        login_not_required(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    # Any other path under /api/ (newlines included) gets the JSON 404.
    re_path(r"^[\s\S]*$", login_not_required(not_found_view)),
]
