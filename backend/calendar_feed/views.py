"""GET /calendar/<token>.ics: the feed calendar apps subscribe to. The secret token is the only key:
calendar apps cannot log in, so no session is needed and none is used."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backend.calendar_feed.ics import render_ics
from backend.calendar_feed.models import CalendarFeed
from backend.calendar_feed.selectors import calendar_events

TOKEN_MAX_LENGTH = 64


@require_GET
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    if len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    with translation.override(user.language):
        body = render_ics(calendar_events(user=user), name=_("Client Portal: dates"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="portal-klienta.ics"'
    return response
