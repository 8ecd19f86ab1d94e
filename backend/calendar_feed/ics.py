"""Render calendar events as an iCalendar file (RFC 5545) that Google, Outlook and Apple calendars read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from backend.calendar_feed.selectors import CalendarEvent

PRODUCT_ID = "-//Portal Klienta//Calendar feed//PL"
UID_DOMAIN = "portal-klienta"
REFRESH = timedelta(hours=6)


def render_ics(events: Iterable[CalendarEvent], *, name: str, now: datetime | None = None) -> bytes:
    """An all-day VEVENT per event, with a stable UID and a link to its portal page."""
    stamp = (now or timezone.now()).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")  # Outlook's name for the same refresh interval
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", f"{item.description}\n{base_url}{item.path}")
        event.add("url", f"{base_url}{item.path}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
