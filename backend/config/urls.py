from importlib import import_module

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

API_URL_MODULES = [
    "backend.accounts.urls",
    "backend.clients.urls",
    "backend.contracts.urls",
    "backend.invoices.urls",
    "backend.documents.urls",
    "backend.messaging.urls",
    "backend.requests_app.urls",
    "backend.drafts.urls",
    "workflows.urls",
    "backend.requests_app.process_urls",  # migrate, heatmap, repair console: step requests
    "notifications.urls",
]


def grouped_by_first_segment(modules: list[str]) -> list:
    """The apps' API paths grouped under their first segment ("requests/", "staff/", …), in their order.

    Django tries a URLconf's patterns one by one, and every include() that fails lists what it tried: with
    eleven apps included at "" a step's URL went through about a hundred patterns, 3 % of the step's CPU
    (py-spy). Grouped, it meets a dozen prefixes and then the few paths of its own. Names are unchanged,
    and so is which view a path reaches: paths with different first segments never match the same URL.
    """
    groups: dict[str, list] = {}
    for module in modules:
        for pattern in import_module(module).urlpatterns:
            route = getattr(pattern.pattern, "_route", None)
            first, slash, rest = (route or "").partition("/")
            if not isinstance(pattern, URLPattern) or not slash or not first or "<" in first:
                raise ImproperlyConfigured(f"{module}: an API path needs a literal first segment ({pattern})")
            groups.setdefault(first, []).append(
                path(rest, pattern.callback, pattern.default_args, pattern.name)
            )
    return [path(f"{first}/", include(group)) for first, group in groups.items()]


api_patterns = grouped_by_first_segment(API_URL_MODULES)

# A database outage answers 503 "try again" (JSON under /api/); other errors a page that needs no database.
handler500 = "backend.core.outage.server_error"
# An unknown path or an id out of range (`<id:…>`): the error shape under /api/, the not-found page elsewhere.
handler404 = "backend.core.exceptions.not_found"
handler400 = "portal_ui.bad_request.bad_request"  # a form with too many files: a page back to it

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
