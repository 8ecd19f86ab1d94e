"""Sending a request form's body: the API's serializer checks it, the API's submit stores it (shared by
every request form: the wizard's and the permit's), and every refusal is gathered for the page at once."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from backend.clients.models import Client
from backend.core.exceptions import PortalError
from backend.requests_app import services
from backend.requests_app.submission import submit_validated
from backend.requests_app.validation import RequestSubmitInputSerializer
from portal_ui.error_summary import form_errors


def already_sent_text(number: str) -> str:
    return _("This form had already been sent as request %(number)s: nothing was sent a second time.") % {
        "number": number
    }


# Stands in for the contact person when its own errors stopped the serializer before the cross-field
# checks, so that the user sees every error of the form at once.
PLACEHOLDER_CONTACT = {"name": "-", "phone": "600000000", "email": "placeholder@example.com"}


def submit_posted(
    request: HttpRequest, *, client: Client, payload: dict, idempotency_key: str
) -> HttpResponse | dict | PortalError:
    """Validate a request form's payload with the API's serializer and submit it (shared by every form).

    Returns the redirect to the new request, or what refused it (the serializer's errors or the service's
    error) for the caller to show next to the inputs.
    """
    serializer = RequestSubmitInputSerializer(data=payload, context={"client": client})
    if not serializer.is_valid():
        return serializer.errors
    try:
        portal_request, _created = submit_validated(
            user=request.user,
            client=client,
            validated=serializer.validated_data,
            idempotency_key=idempotency_key,
            fingerprint=services.request_fingerprint(payload) if idempotency_key else "",
        )
    except PortalError as exc:
        return exc
    messages.success(request, _("Request %(number)s has been sent.") % {"number": portal_request.number})
    return redirect("request-page", request_id=portal_request.pk)


def refusal_of(payload: dict, client: Client) -> dict:
    """What the API's serializer refuses in the payload ({} for nothing), without submitting it."""
    serializer = RequestSubmitInputSerializer(data=payload, context={"client": client})
    return {} if serializer.is_valid() else serializer.errors


def all_form_errors(refused: dict | PortalError, payload: dict, client) -> dict[str, list[str]]:
    """Every error of the form at once: a contact error stops the serializer before its other checks, so
    they are asked again with a placeholder contact (the user sees all problems in one round)."""
    errors = form_errors(refused)
    if isinstance(refused, dict) and "contact" in refused:
        second = RequestSubmitInputSerializer(
            data={**payload, "contact": PLACEHOLDER_CONTACT}, context={"client": client}
        )
        if not second.is_valid():
            # The second pass ran every check: its message of a field replaces the first's (where only the
            # schema spoke, "required", the serializer's own rule says more).
            for name, messages_ in form_errors(second.errors).items():
                if not name.startswith("contact"):
                    errors[name] = messages_
    return errors
