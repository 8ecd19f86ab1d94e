"""The error summary above a form: every error named by its field, in form order, linked to the field.

One helper and one partial (portal_ui/client/_error_summary.html) for every form of the portal, so the
message form and the request form read the same way: "Telefon: To pole nie może być puste."
"""

from __future__ import annotations

from collections.abc import Mapping


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
