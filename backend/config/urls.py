from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_patterns = [
    path("", include("backend.accounts.urls")),
    path("", include("backend.clients.urls")),
    path("", include("backend.contracts.urls")),
    path("", include("backend.invoices.urls")),
    path("", include("backend.documents.urls")),
    path("", include("backend.messaging.urls")),
    path("", include("backend.requests_app.urls")),
    path("", include("backend.drafts.urls")),
    path("", include("workflows.urls")),
    path("", include("backend.requests_app.process_urls")),  # migrate, heatmap, repair console: step requests
    path("", include("notifications.urls")),
]

# A database outage answers 503 "try again" (JSON under /api/); other errors a page that needs no database.
handler500 = "backend.core.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar (served locally, works offline); the split view loads its
    # set-up script from a URL instead of inline, so the page runs under the strict CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="portal_ui/api_docs.html"),
        name="api-docs",
    ),
    path("api/", include(api_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("backend.accounts.page_urls")),
    path("", include("backend.sso.page_urls")),
    path("", include("backend.calendar_feed.urls")),
    path("", include("backend.permits.urls")),  # the public permit verification page
    path("", include("portal_ui.urls")),
    # Last, so a page of the same path in portal_ui.urls (e.g. the real contract details) wins.
]
