"""`{% load portal_nav %}`: `{% portal_nav %}` renders the navigation; `{% optional_url "name" arg as x %}`
gives "" while a page does not exist yet; `{% bank_return_url as x %}` the header's way back to the bank."""

from __future__ import annotations

from django import template

from backend.sso.return_link import signed_in_bank_return_url
from portal_ui import list_memory, nav

register = template.Library()


@register.inclusion_tag("portal_ui/_nav.html", takes_context=True)
def portal_nav(context) -> dict:
    request = context.get("request")
    return {"entries": nav.nav_for(request) if request is not None else []}


@register.simple_tag
def optional_url(url_name: str, *args) -> str:
    return nav.optional_url(url_name, *args)


@register.simple_tag(takes_context=True)
def list_url(context, url_name: str) -> str:
    """The list `url_name` as the user last left it (portal_ui/list_memory.py), for a way back to it."""
    return list_memory.list_url(context.get("request"), url_name)


@register.simple_tag(takes_context=True)
def bank_return_url(context) -> str:
    """The way back to online banking while the bank's hand-off session is signed in, else ""."""
    request = context.get("request")
    return signed_in_bank_return_url(request) if request is not None else ""
