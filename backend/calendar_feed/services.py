"""Writes of the calendar feed: create the secret address once, regenerate it on request (audited)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from backend.accounts.models import User
from backend.calendar_feed.models import CalendarFeed
from backend.core.services import record_audit

REGENERATED = "calendar_feed_regenerated"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def ensure_calendar_feed(*, user: User) -> CalendarFeed:
    """Return the user's feed, creating its secret address the first time."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def regenerate_calendar_feed(*, user: User, request: HttpRequest | None = None) -> CalendarFeed:
    """Give the feed a new secret address; the old one answers 404 from now on."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed(user=user)
    feed.token = _new_token()
    feed.regenerated_at = timezone.now()
    feed.save()
    record_audit(action=REGENERATED, request=request, user=user)
    return feed
