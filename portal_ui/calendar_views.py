"""The client's calendar feed page (under "Moje konto"): the secret .ics address and how to use it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.calendar_feed.services import ensure_calendar_feed, regenerate_calendar_feed
from portal_ui.access import client_required


@client_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        regenerate_calendar_feed(user=request.user, request=request)
        messages.success(request, _("The calendar has a new address. The old one no longer works."))
        return redirect("calendar-page")
    feed = ensure_calendar_feed(user=request.user)
    feed_url = request.build_absolute_uri(reverse("calendar-feed-ics", args=[feed.token]))
    return render(request, "portal_ui/calendar_feed.html", {"feed_url": feed_url, "feed": feed})
