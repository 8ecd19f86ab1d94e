"""What a client can ask for: request types, their kinds, declarations and reasons, with pl/en labels.

Labels are translated msgids (English in code, Polish in locale/); `label_pair` renders both.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backend.requests_app.models import RequestKind, RequestType

KIND_TYPE = {
    RequestKind.PAYMENT_DATE_CHANGE: RequestType.CONTRACT_CHANGE,
    RequestKind.CONTRACT_VALUE_CHANGE: RequestType.CONTRACT_CHANGE,
    RequestKind.SCHEDULE_CHANGE: RequestType.CONTRACT_CHANGE,
    RequestKind.CLIENT_DATA_CHANGE: RequestType.CLIENT_DATA,
    RequestKind.OTHER_REQUEST: RequestType.OTHER,
}
KINDS_NEEDING_CONTRACT = {
    RequestKind.PAYMENT_DATE_CHANGE,
    RequestKind.CONTRACT_VALUE_CHANGE,
    RequestKind.SCHEDULE_CHANGE,
}
KINDS_NEEDING_ATTACHMENT = {RequestKind.CONTRACT_VALUE_CHANGE}

DECLARATIONS = {
    "data_true": _("I declare that the data given in this request are true."),
    "privacy_notice": _("I have read the information on the processing of personal data."),
    "fees": _("I accept that the change may be charged according to the table of fees and commissions."),
    "authorised": _("I am authorised to act for the client in this matter."),
}
KIND_DECLARATIONS = {
    RequestKind.PAYMENT_DATE_CHANGE: ["data_true", "privacy_notice", "fees", "authorised"],
    RequestKind.CONTRACT_VALUE_CHANGE: ["data_true", "privacy_notice", "fees", "authorised"],
    RequestKind.SCHEDULE_CHANGE: ["data_true", "privacy_notice", "fees", "authorised"],
    RequestKind.CLIENT_DATA_CHANGE: ["data_true", "privacy_notice", "authorised"],
    RequestKind.OTHER_REQUEST: ["data_true", "privacy_notice"],
}

PAYMENT_DAYS = [15, 20, 25]
PAYMENT_DAY_REASONS = {
    "cash_flow": _("Better fit with the company's cash flow"),
    "revenue_date": _("Date of the company's main revenues"),
    "other_obligations": _("Other obligations due on the current day"),
    "other": _("Other"),
}
VALUE_CHANGE_OPTIONS = {
    "new_purchase_price": _("New purchase price"),
    "additional_equipment": _("Additional equipment"),
}
INSTALLMENT_OPTIONS = {
    "keep": _("Keep the installment at the current level"),
    "auto": _("Adjust the installment automatically"),
    "amount": _("Change the installment amount"),
}
CURRENCIES = ["PLN", "EUR", "CHF"]


class _StageLabels(dict):
    """Curated labels of the shipped stage ids; any other stage (an element a deployed version added or
    renamed) is labelled by the BPMN itself: its `name` in Polish, its `titleEn` property in English."""

    def get(self, key, default=None):
        if key in self:
            return self[key]
        title = _bpmn_stage_title(key)
        return title if title is not None else default

    def __missing__(self, key):
        title = _bpmn_stage_title(key)
        if title is None:
            raise KeyError(key)
        return title


def _bpmn_stage_title(stage: str) -> str | None:
    from workflows.services import stage_title

    language = "en" if (translation.get_language() or "").startswith("en") else "pl"
    return stage_title(stage, language=language) if isinstance(stage, str) else None


STAGE_LABELS = _StageLabels(
    {
        "": _("Submitted"),
        "staff_review": _("Review by customer service"),
        "client_reply": _("Waiting for the client's reply"),
        "request_approved": _("Completed"),
        "request_rejected": _("Rejected"),
        "request_cancelled": _("Cancelled: no reply in time"),
        "cancelled": _("Withdrawn by the client"),
    }
)

# What a client sees for a stage that neither the catalogue nor the deployed BPMN names: never the raw id.
NEUTRAL_STAGE_LABEL = pgettext_lazy("request stage", "In progress")


def stage_label(stage: str | None) -> str:
    """Return the readable name of a stage in the active language, or the neutral "W trakcie obsługi"."""
    label = STAGE_LABELS.get(stage or "")
    # A BPMN element without a name would give its own id back: that is raw too.
    return str(label) if label and str(label) != stage else str(NEUTRAL_STAGE_LABEL)


def label_pair(label) -> dict[str, str]:
    """Return {"pl": ..., "en": ...} for a lazy translated label."""
    pair = {}
    for language in ("pl", "en"):
        with translation.override(language):
            pair[language] = str(label)
    return pair


def submit_form_schema(kind: str) -> dict:
    path = Path(settings.BASE_DIR) / "bpmn" / "forms" / kind / "submit.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def catalogue() -> list[dict]:
    """Return the request types with their kinds, declarations and submit form schemas."""
    types = []
    for request_type in RequestType:
        kinds = []
        for kind, kind_type in KIND_TYPE.items():
            if kind_type != request_type:
                continue
            kinds.append(
                {
                    "kind": kind.value,
                    "label": label_pair(kind.label),
                    "needs_contract": kind in KINDS_NEEDING_CONTRACT,
                    "needs_attachment": kind in KINDS_NEEDING_ATTACHMENT,
                    "declarations": [
                        {"code": code, "label": label_pair(DECLARATIONS[code])}
                        for code in KIND_DECLARATIONS[kind]
                    ],
                    "form_schema": submit_form_schema(kind.value),
                }
            )
        types.append({"type": request_type.value, "label": label_pair(request_type.label), "kinds": kinds})
    return types
