"""`{% load portal_nav %}`: `{% portal_nav %}` renders the navigation; `{% optional_url "name" arg as x %}`
gives "" while a page does not exist yet."""

from __future__ import annotations

from django import template

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
