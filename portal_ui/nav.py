"""The portal's navigation, defined once.

Each entry names a URL pattern. A page that does not exist yet shows as a placeholder ("#") until a
pattern with that name is added to some urls.py: nothing here needs to change then.

URL names are global, and the APIs already use `<thing>-list` / `<thing>-detail` (e.g. "invoice-detail"
is JSON). Pages therefore use the plain section name ("invoices") and `<thing>-page` for one object
("invoice-page"), so a page link never lands on an API.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    # Other URL names under this section, so their pages highlight it too.
    also: tuple[str, ...] = ()


CLIENT_NAV = (
    NavItem("home", _("Home")),
    NavItem("invoices", _("Invoices"), ("invoice-page",)),
    NavItem("settlements", _("Settlements"), ("settlement-page",)),
    NavItem("contracts", _("Contracts"), ("contract-page", "policy-page")),
    NavItem("requests", _("Requests"), ("request-new", "request-page")),
    NavItem("documents", _("Documents")),
    NavItem("archive", _("Archive")),
    NavItem("messages", _("Messages"), ("message-new", "message-page")),
    NavItem("client-data", _("Client data")),
    NavItem("help", _("Help")),
)

STAFF_NAV = (
    NavItem("staff-home", _("Back office")),
    NavItem("staff-tasks", _("Tasks"), ("staff-task-page",)),
    NavItem("staff-messages", _("Message inbox"), ("staff-message-page",)),
)

ANALYST_NAV = (NavItem("analyst-home", _("Process flows"), ("flow-editor",)),)


def optional_url(url_name: str, *args) -> str:
    """Return the URL of `url_name`, or "" while no such page exists."""
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        return ""


def nav_for(request: HttpRequest) -> list[dict]:
    """Return the navigation entries for the user: label, url ("#" for a placeholder), current flag."""
    user = request.user
    if not user.is_authenticated:
        return []
    items = CLIENT_NAV
    if user.is_back_office:
        items = STAFF_NAV + (ANALYST_NAV if user.is_analyst else ())
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else None
    entries = []
    for item in items:
        url = optional_url(item.url_name)
        entries.append(
            {
                "label": item.label,
                "url": url or "#",
                "placeholder": not url,
                "current": current is not None and current in {item.url_name, *item.also},
            }
        )
    return entries
