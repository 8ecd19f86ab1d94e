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
from django.utils.translation import pgettext_lazy

from backend.clients import access_rules
from backend.clients.access_rules import Area


# Labels carry the "nav" context so that other catalogues (Django admin translates "Home" as "Strona
# główna") cannot override the portal's own words.
@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    # Other URL names under this section, so their pages highlight it too.
    also: tuple[str, ...] = ()
    # The part of the portal it opens (backend/clients/access_rules.py): hidden when the role lacks it.
    area: str | None = None
    # Back-office roles that may open it (None: every back-office role).
    roles: frozenset[str] | None = None


CLIENT_NAV = (
    NavItem("home", pgettext_lazy("nav", "Home"), area=Area.INVOICES),
    NavItem("invoices", pgettext_lazy("nav", "Invoices"), ("invoice-page",), area=Area.INVOICES),
    NavItem("settlements", pgettext_lazy("nav", "Settlements"), ("settlement-page",), area=Area.INVOICES),
    NavItem(
        "contracts", pgettext_lazy("nav", "Contracts"), ("contract-page", "policy-page"), area=Area.CONTRACTS
    ),
    NavItem("policies", pgettext_lazy("nav", "Policies"), area=Area.CONTRACTS),
    # "requests" is the API's name (/api/requests/): the page is "request-list".
    NavItem(
        "request-list",
        pgettext_lazy("nav", "Requests"),
        ("request-new", "request-new-kind", "request-page"),
        area=Area.REQUESTS,
    ),
    NavItem("documents", pgettext_lazy("nav", "Documents"), area=Area.DOCUMENTS),
    NavItem("archive", pgettext_lazy("nav", "Archive"), area=Area.INVOICES),
    NavItem(
        "messages", pgettext_lazy("nav", "Messages"), ("message-new", "message-page"), area=Area.MESSAGES
    ),
    # "client-data" is the API's name (/api/client/): the page is "client-data-page".
    NavItem("client-data-page", pgettext_lazy("nav", "Client data"), ("client-data-change",)),
    NavItem("client-users-page", pgettext_lazy("nav", "Users"), area=Area.USERS),
    NavItem("help", pgettext_lazy("nav", "Help")),
)

STAFF_NAV = (
    NavItem("staff-home", pgettext_lazy("nav", "Back office")),
    # "staff-tasks" is the API's name (/api/staff/tasks/): the page is "staff-task-list".
    NavItem("staff-task-list", pgettext_lazy("nav", "Tasks"), ("staff-task-page",)),
    NavItem("staff-messages", pgettext_lazy("nav", "Message inbox"), ("staff-message-page",)),
    NavItem(
        "staff-clients",
        pgettext_lazy("nav", "Clients"),
        ("staff-client-page",),
        roles=frozenset({"staff", "admin"}),  # portal_ui/staff_client_views.py: customer service only
    ),
    NavItem(
        "staff-client-users",
        pgettext_lazy("nav", "Client activation"),
        ("staff-client-activation", "staff-second-factor-reset"),
        roles=frozenset({"staff", "admin"}),  # portal_ui/staff_activation_views.py ISSUERS
    ),
)

ANALYST_NAV = (
    NavItem(
        "analyst-home",
        pgettext_lazy("nav", "Process flows"),
        (
            "flow-list",
            "flow-editor",
            "flow-versions",
            # a refused test or rollback shows the versions page at its own address
            "flow-version-test",
            "flow-version-rollback",
            "flow-migrations",
            "flow-migration",
            "flow-migrations-batch",
        ),
    ),
    NavItem("ops-console", pgettext_lazy("nav", "Repairs"), ("ops-instance",)),
)


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
    membership = getattr(request, "active_membership", None)
    if not user.is_back_office and membership is None:
        return []  # a client user acting for no company (suspended, removed, invited) has no client page
    for item in items:
        if item.area is not None and not user.is_back_office and not access_rules.can(membership, item.area):
            continue
        if item.roles is not None and user.role not in item.roles:
            continue
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
