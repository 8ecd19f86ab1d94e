"""Which company a client's form was shown for, and what happens when another tab switched company since.

A user of several companies may switch the active one in another tab while a form is open. Every client
form that creates or changes something for the active company carries the company it was shown for
(`{% include "portal_ui/client/_acting_for.html" %}`, the hidden ACTING_FOR_FIELD; drafts.js sends it with
its drafts). A post for another company than the active one does nothing for either:

- `acting_for_checked` (placed above the area check, so the switch is said before "your role does not
  give access") answers a form of an object, or one the new company's role may not send, with the
  "company changed" page: both companies named, the typed text shown and kept as the first company's draft
  where that form has one, and a button that switches back and opens the form's page again;
- a form of something new (a message, a request) that the new company's role may send is shown again by
  its view with what was typed, `switch_notice` above it, still bound to the first company (a second send
  is refused alike until the user switches back).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from backend.clients import access_rules
from backend.clients.active import switched_away_from as _switched_away_from
from backend.clients.models import Client, ClientMembership
from backend.core.exceptions import PortalError
from backend.core.filters import parse_id
from backend.drafts.services import check_form_access, save_draft

View = Callable[..., HttpResponse]

ACTING_FOR_FIELD = "acting_for"
# Posted fields that are the form's machinery, not what the user typed (drafts.js skips them alike).
_NOT_TYPED = {"csrfmiddlewaretoken", "idempotency_key", "attachment_ids", ACTING_FOR_FIELD}


def switched_away_from(request: HttpRequest) -> Client | None:
    """The company the posted form was shown for, when the session acts for another one by now."""
    if request.method != "POST":
        return None
    return _switched_away_from(request, parse_id(request.POST.get(ACTING_FOR_FIELD)))


def client_changed_text(previous: Client, current: Client) -> str:
    """The message of every form sent after the switch: both companies, nothing sent, the way to send it."""
    changed = _(
        "While this page was open, the company you act for was changed (in another tab) from %(previous)s "
        "to %(current)s. Nothing was sent."
    ) % {"previous": previous.name, "current": current.name}
    return f"{changed} {_('Switch back to %(name)s to send it.') % {'name': previous.name}}"


def switch_notice(request: HttpRequest, previous: Client, *, draft_key: str) -> dict:
    """The context of a form shown again after the switch: the notice above it (_client_changed.html)
    and the company its hidden field keeps naming. The typed text is also kept as that company's draft,
    which the form offers after "Act for … again"."""
    return {
        "acting_for": previous,
        "client_changed": {
            "text": client_changed_text(previous, request.active_client),
            "previous": previous,
            "back_url": request.get_full_path(),
            "draft_kept": keep_as_draft(request, previous, draft_key),
        },
    }


def typed_data(request: HttpRequest) -> dict[str, str | list[str]]:
    """What the user typed into the posted form, as drafts.js keeps a draft (several values: a list)."""
    data: dict[str, str | list[str]] = {}
    for name in request.POST:
        if name in _NOT_TYPED:
            continue
        values = request.POST.getlist(name)
        data[name] = values if len(values) > 1 else values[0]
    return data


def keep_as_draft(request: HttpRequest, previous: Client, form_key: str) -> bool:
    """Keep the typed form as the first company's draft of it, where the user may send that form there
    (the drafts API's own rule); the form then offers it once the user acts for that company again."""
    data = typed_data(request)
    if not any(str(value).strip() for value in data.values()):
        return False
    membership = ClientMembership.objects.filter(user=request.user, client=previous).first()
    access_rules.bind(previous, membership)
    try:
        check_form_access(form_key, client=previous, membership=membership)
        save_draft(user=request.user, client=previous, form_key=form_key, data=data)
    except PortalError:  # not allowed there any more, or longer than a draft holds: the page shows the text
        return False
    return True


def client_changed_page(
    request: HttpRequest, previous: Client, *, back_url: str = "", draft_key: str = "", text_field: str = ""
) -> HttpResponse:
    """The "company changed" page (409): nothing done, the typed text, the way back to the form."""
    context = {
        "previous": previous,
        "changed_text": client_changed_text(previous, request.active_client),
        "text": request.POST.get(text_field, "") if text_field else "",
        "draft_kept": bool(draft_key) and keep_as_draft(request, previous, draft_key),
        # The form's page, opened again after switching back (a form that posts to its own page: that).
        "back_url": back_url or request.get_full_path(),
    }
    return render(request, "portal_ui/client/client_changed.html", context, status=409)


def acting_for_checked(
    *,
    shows_form_again: str = "",
    back: Callable[[dict], str] | None = None,
    draft_key: Callable[[dict], str] | None = None,
    text_field: str = "",
) -> Callable[[View], View]:
    """Refuse a post of a form shown for another company than the active one, before the role's check.

    shows_form_again: the area of a form of something new whose view shows it again itself, where the
    role in the company now active may write in that area. back: the form's page from the view's arguments,
    for a form that posts to an address of its own (/requests/3/reply/). draft_key: the form's draft key from the view's
    arguments (the typed text is kept as the first company's draft). text_field: the input shown back.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            previous = switched_away_from(request)
            if previous is None:
                return view(request, *args, **kwargs)
            membership = getattr(request, "active_membership", None)
            if shows_form_again and access_rules.can(membership, shows_form_again, write=True):
                return view(request, *args, **kwargs)
            return client_changed_page(
                request,
                previous,
                back_url=back(kwargs) if back is not None else "",
                draft_key=draft_key(kwargs) if draft_key is not None else "",
                text_field=text_field,
            )

        return wrapped

    return decorate
