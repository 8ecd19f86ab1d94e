"""The statutory clock of a complaint on pages: the client's "Odpowiedź do …" and staff's days left."""

from __future__ import annotations

from django import template

from backend.requests_app.complaints import ClockView, clock_of

register = template.Library()


@register.simple_tag
def complaint_clock(portal_request) -> ClockView | None:
    """`{% complaint_clock portal_request as clock %}`: the clock of a complaint, None for other kinds."""
    return clock_of(portal_request)
