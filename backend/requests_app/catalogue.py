"""What a client can ask for: request types, their kinds, declarations and reasons, with pl/en labels.

Labels are translated msgids (English in code, Polish in locale/); `label_pair` renders both.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backend.core.language import active_lang, in_each_language
from backend.requests_app.models import RequestKind, RequestType
from workflows import stage_labels
from workflows.contract import CancelledStage
from workflows.models import ProcessInstance

KIND_TYPE = {
    RequestKind.PAYMENT_DATE_CHANGE: RequestType.CONTRACT_CHANGE,
    RequestKind.CONTRACT_VALUE_CHANGE: RequestType.CONTRACT_CHANGE,
    RequestKind.SCHEDULE_CHANGE: RequestType.CONTRACT_CHANGE,
    RequestKind.CLIENT_DATA_CHANGE: RequestType.CLIENT_DATA,
    RequestKind.OTHER_REQUEST: RequestType.OTHER,
    RequestKind.COMPLAINT: RequestType.OTHER,
    RequestKind.EARLY_TERMINATION: RequestType.CONTRACT_CHANGE,
    RequestKind.VEHICLE_ABROAD_PERMIT: RequestType.OTHER,
}
KINDS_NEEDING_CONTRACT = {
    RequestKind.PAYMENT_DATE_CHANGE,
    RequestKind.CONTRACT_VALUE_CHANGE,
    RequestKind.SCHEDULE_CHANGE,
    RequestKind.EARLY_TERMINATION,
    RequestKind.VEHICLE_ABROAD_PERMIT,
}
KINDS_NEEDING_ATTACHMENT = {RequestKind.CONTRACT_VALUE_CHANGE}
# The kinds that change their contract (the type "contract change"): only an active contract that no
# agreed buyout ends takes them (contracts.selectors.change_refusal), at submit and again at approval,
# and one contract has at most one open request of each (selectors.open_request_of_kind).
KINDS_CHANGING_CONTRACT = frozenset(
    kind for kind, request_type in KIND_TYPE.items() if request_type == RequestType.CONTRACT_CHANGE
)
# The kinds about a contract in force that do not change it: only an active contract takes them (a permit
# to go abroad is for the vehicle of a lease that runs), the API and the page alike (contract_refusal).
KINDS_NEEDING_ACTIVE_CONTRACT = frozenset({RequestKind.VEHICLE_ABROAD_PERMIT})

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
    RequestKind.COMPLAINT: ["data_true", "privacy_notice"],
    RequestKind.EARLY_TERMINATION: ["data_true", "privacy_notice", "fees", "authorised"],
    RequestKind.VEHICLE_ABROAD_PERMIT: ["data_true", "privacy_notice", "authorised"],
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


# The stages that are the portal's, not the process's: before the first step, and cancelled from outside
# the flow (by whom: workflows/contract.py). Every other stage is a BPMN element labelled by its deployed
# version (workflows/stage_labels.py).
PORTAL_STAGES = {
    "": _("Submitted"),
    CancelledStage.WITHDRAWN.value: _("Withdrawn by the client"),
    CancelledStage.BY_LESSOR.value: _("Cancelled by the lessor"),
}

# What a client sees for a stage that no deployed BPMN names: never the raw id.
NEUTRAL_STAGE_LABEL = pgettext_lazy("request stage", "In progress")


def kind_label(process_key: str) -> str:
    """The request type's name in the active language; a process that is no request type keeps its id."""
    return str(RequestKind(process_key).label) if process_key in RequestKind.values else process_key


def stage_label(stage: str | None, *, version_id: int | None = None, process_key: str | None = None) -> str:
    """The readable name of a stage in the active language: the element's name in the version given
    (else in the current version of `process_key`, else of any process), or the neutral "W trakcie
    obsługi". Pass the version whenever it is known: then the label costs no query."""
    stage = stage or ""
    if stage in PORTAL_STAGES:
        return str(PORTAL_STAGES[stage])
    label = stage_labels.title(stage, language=active_lang(), version_id=version_id, process_key=process_key)
    # A BPMN element without a name would give its own id back: that is raw too.
    return label if label and label != stage else str(NEUTRAL_STAGE_LABEL)


def request_version_id(portal_request) -> int | None:
    """The version the request's process runs on (no query when its instance was read with it)."""
    if portal_request.process_instance_id is None:
        return None
    if type(portal_request).process_instance.is_cached(portal_request):
        return portal_request.process_instance.process_version_id
    return (
        ProcessInstance.objects.filter(pk=portal_request.process_instance_id)
        .values_list("process_version_id", flat=True)
        .first()
    )


def request_stage_label(portal_request, stage: str | None = None) -> str:
    """The label of the request's stage (or of `stage`, e.g. a history row's) in its own version."""
    return stage_label(
        portal_request.stage if stage is None else stage,
        version_id=request_version_id(portal_request),
        process_key=portal_request.kind,
    )


def stage_choices(stage_ids, *, process_key: str | None = None) -> list[tuple[str, str]]:
    """(id, label) of stages for a filter or a column, from the current versions (two queries for the
    whole list). A stage the current versions name differently (renamed in one process) is labelled by
    each of its names, "Weryfikacja przez BOK / Weryfikacja wniosku przez BOK": a request page shows one
    of them, and the option or column is found by it."""
    names = stage_labels.current_names(process_key)
    language = active_lang()
    choices = []
    for stage in stage_ids:
        if stage in PORTAL_STAGES:
            choices.append((stage, str(PORTAL_STAGES[stage])))
            continue
        picked = (stage_labels.pick(pair, language) for pair in names.get(stage, []))
        labels = list(dict.fromkeys(label for label in picked if label and label != stage))
        choices.append((stage, " / ".join(labels) if labels else str(NEUTRAL_STAGE_LABEL)))
    return choices


def label_pair(label) -> dict[str, str]:
    """Return {"pl": ..., "en": ...} for a lazy translated label."""
    return in_each_language(lambda _lang: str(label))


def submit_form_schema(kind: str) -> dict:
    """The kind's submit schema (bpmn/forms/<kind>/submit.json; {} without one). Every submit is checked
    against it: read once per version of the file (its mtime), not per request. Callers do not change it."""
    path = Path(settings.BASE_DIR) / "bpmn" / "forms" / kind / "submit.json"
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        return {}
    return _read_schema(str(path), modified)


@functools.lru_cache(maxsize=64)
def _read_schema(path: str, modified: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


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
