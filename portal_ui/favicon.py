"""/favicon.ico: browsers ask for it on their own (on pages without a <link rel="icon">, in bookmarks)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Redirect to the portal's SVG icon (the one base.html links), so the automatic request is not a 404."""
    return HttpResponseRedirect(static("portal_ui/favicon.svg"))
