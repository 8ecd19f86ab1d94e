"""How a closed request ended, on staff's lists: an auto-cancel told apart from a withdrawal."""

from __future__ import annotations

from django import template

from backend.requests_app.endings import closed_status_label

register = template.Library()


@register.filter
def closed_status(portal_request) -> str:
    """`{{ r|closed_status }}`: the row's status, a cancelled one named by who ended it."""
    return closed_status_label(portal_request)
