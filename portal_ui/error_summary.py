"""Errors on the forms of pages: what a step refused, by input (form_errors), and the summary above a
form: every error named by its field, in form order, linked to the field (error_summary).

One helper and one partial (portal_ui/client/_error_summary.html) for every form of the portal, so the
message form and the request form read the same way: "Telefon: To pole nie może być puste."
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from django.utils.html import escape, format_html, urlize
from django.utils.safestring import SafeString, mark_safe

from backend.core.exceptions import PortalError, _flatten_drf_detail


def error_summary(
    errors: Mapping[str, list[str]], labels: Mapping[str, object], *, id_prefix: str = "id_"
) -> list[dict]:
    """Return the summary rows: `labels` gives the form order and each field's label.

    A field the labels do not name (a form-wide message) comes last, unlinked and without a label.
    """
    order = [*labels, *(name for name in errors if name not in labels)]
    rows = []
    for name in order:
        # A label that is a sentence (a declaration) loses its full stop before the colon.
        label = str(labels[name]).rstrip(".") if name in labels else ""
        for message in errors.get(name, []):
            rows.append(
                {
                    "field": name,
                    "id": f"{id_prefix}{name}" if label else "",
                    "label": label,
                    "message": message,
                }
            )
    return rows


def input_name(path: str) -> str:
    """The page input an error path belongs to: "data.net_installments.3" → "data__net_installments"."""
    return "__".join(part for part in path.split(".") if not part.isdigit())


def form_errors(error: Any, *, inputs: Collection[str] | None = None) -> dict[str, list[str]]:
    """Return input name → messages of what a step refused, for the form of a page.

    `error` is a serializer's `errors`, a DRF ValidationError or a PortalError a service raised. Paths
    name the page's inputs (see input_name). A message of no input (non_field_errors, a field the form
    does not have when `inputs` names them, the error's own message) is under "form"; a service error's
    generic "correct the marked fields" is left out when its fields say more.
    """
    if isinstance(error, PortalError):
        detail, message = error.fields, error.message
        generic = message == error.default_message()
    else:
        detail, message, generic = getattr(error, "detail", error), "", True
    errors: dict[str, list[str]] = {}
    for path, messages in _flatten_drf_detail(detail).items() if detail else ():
        name = input_name(path)
        if name == "non_field_errors" or (inputs is not None and name not in inputs):
            name = "form"
        kept = errors.setdefault(name, [])
        kept.extend(text for text in messages if text not in kept)
    shown = {text for texts in errors.values() for text in texts}
    if message and not (errors and generic) and message not in shown:
        errors.setdefault("form", []).append(message)
    return errors


def filled(values: Mapping[str, str]) -> dict[str, str]:
    """Leave out blank inputs, so an empty required field reads "This field is required." (not "blank")."""
    return {name: value for name, value in values.items() if str(value).strip()}


# "…, WN/2026/0003 (https://portal…/requests/3/): …": a refusal naming another request with its absolute
# address (requests_app.validation.contract_refusal), which an API client needs; a page reads it as the
# request's number linked to its page (relative, whatever host the message was built for).
# The number starts where a run of its characters starts (the lookbehind): else a message echoing a long
# typed value ('"xxx…" is not a valid choice') was tried from each of its characters, quadratic (70 000
# characters: minutes of a web worker per error shown).
_REQUEST_REF = re.compile(
    r"(?<![^\s(),])(?P<number>[^\s(),]+) \((?P<url>https?://[^\s()]+?(?P<path>/requests/\d+/))\)"
)


def linked_message(message: str) -> SafeString:
    """An error message as page HTML: a named request's address becomes its number as a link; any other
    address in it is linked as written (urlize)."""
    parts, last = [], 0
    for found in _REQUEST_REF.finditer(message):
        parts.append(escape(message[last : found.start()]))
        parts.append(format_html('<a href="{}">{}</a>', found["path"], found["number"]))
        last = found.end()
    if not parts:
        return urlize(message, autoescape=True)
    parts.append(escape(message[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (each part escaped or built by format_html)


def has_link(message: str) -> bool:
    """Whether linked_message gives the message a link of its own (the summary then links only the label)."""
    return bool(_REQUEST_REF.search(message))
