"""Template access to a request's wait for the client (backend/requests_app/client_waits.py)."""

from __future__ import annotations

from django import template

from backend.requests_app.client_waits import WaitEnd, wait_end

register = template.Library()


@register.filter(name="wait_end")
def wait_end_filter(portal_request) -> WaitEnd | None:
    """`{{ r|wait_end }}`: when the row's wait for the client ends unanswered (None if it does not wait)."""
    return wait_end(portal_request)
