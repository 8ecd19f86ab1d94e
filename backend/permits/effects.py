"""The service tasks of the permit process (bpmn/vehicle_abroad_permit.bpmn).

`collect_permit_facts` gathers what the DMN table decides on (bpmn/dmn/vehicle_abroad_permit.dmn);
the rules themselves live in that table, not here. `issue_vehicle_permit` issues the permit: a random
verification code, the bilingual PDF stored as a document of the client and contract, the history row.
Both run inside the transaction of the engine step.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import date
from itertools import groupby, zip_longest

from django.db.models import F
from django.utils import timezone

from backend.contracts.models import Contract, InsurancePolicy, LeasedItem
from backend.core.exceptions import PortalValidationError
from backend.core.money import format_date
from backend.documents.models import Document
from backend.documents.uploads import store_bytes
from backend.invoices.models import Invoice
from backend.permits.countries import SCOPE_COUNTRIES
from backend.permits.display import trip_ended_refusal
from backend.permits.models import VehiclePermit
from backend.requests_app import history
from backend.requests_app.models import PortalRequest
from workflows.service_tasks import declare_domain_errors, register


class PermitTripEnded(PortalValidationError):
    """Staff approve a permit whose trip is over: refused next to the decision (the step rolls back)."""

    code = "permit_trip_ended"


declare_domain_errors(PermitTripEnded)


def _request(data: dict) -> PortalRequest:
    return PortalRequest.objects.select_related("contract", "client").get(pk=data["request_id"])


def overdue_invoice_count(client_id: int, *, today: date) -> int:
    """Unpaid invoices of the client past their due date (InvoiceStatus.OVERDUE, counted in SQL)."""
    return Invoice.objects.filter(
        client_id=client_id, due_date__lt=today, paid_amount__lt=F("gross_total")
    ).count()


def policy_countries(contract: Contract, *, start: date, end: date) -> list[str]:
    """Countries the contract's active insurance policies cover for the whole trip (union of their
    territorial scopes); a policy that ends before the return covers nothing of it."""
    covered: set[str] = set()
    policies = InsurancePolicy.objects.filter(
        contract=contract, status=InsurancePolicy.Status.ACTIVE, period_start__lte=start, period_end__gte=end
    )
    for policy in policies:
        covered |= SCOPE_COUNTRIES.get(policy.territorial_scope, frozenset())
    return sorted(covered)


def policy_ending_before(contract: Contract, *, start: date, end: date) -> InsurancePolicy | None:
    """The contract's active policy that has begun by the departure but ends before the return: it covers
    none of the trip (policy_countries), and the reason to name is its end, not its territorial scope."""
    return (
        InsurancePolicy.objects.filter(
            contract=contract,
            status=InsurancePolicy.Status.ACTIVE,
            period_start__lte=start,
            period_end__lt=end,
        )
        .order_by("-period_end")
        .first()
    )


def permit_facts(portal_request: PortalRequest, *, today: date | None = None) -> dict:
    """The facts the DMN table reads (plain JSON data; each key is one input column's source, or a value
    a rule's message quotes: the ending policy's number and dates, written in both languages)."""
    today = today or timezone.localdate()
    form = portal_request.form_data
    contract = portal_request.contract
    date_from, date_to = date.fromisoformat(form["date_from"]), date.fromisoformat(form["date_to"])
    ending = policy_ending_before(contract, start=date_from, end=date_to)
    facts = {
        "countries": list(form.get("countries", [])),
        "policy_countries": policy_countries(contract, start=date_from, end=date_to),
        "policy_ends_before_return": ending is not None,
        "contract_status": contract.status,
        "overdue_invoices": overdue_invoice_count(portal_request.client_id, today=today),
        "within_contract": contract.start_date <= date_from and date_to <= contract.end_date,
        "days": (date_to - date_from).days + 1,
    }
    if ending is not None:
        facts |= {
            "policy_number": ending.number,
            "policy_end_pl": format_date(ending.period_end),
            "policy_end_en": format_date(ending.period_end, lang="en"),
            "date_to_pl": format_date(date_to),
            "date_to_en": format_date(date_to, lang="en"),
        }
    return facts


@register("collect_permit_facts")
def collect_permit_facts(params: dict, data: dict) -> dict:
    return permit_facts(_request(data))


def item_vin(item: LeasedItem) -> str:
    """The item's VIN ("" for an item without one, e.g. a machine); serial numbers prefetched."""
    return next((s.value for s in item.serial_numbers.all() if s.kind.upper() == "VIN"), "")


def _vehicles(items: list[LeasedItem]) -> list[LeasedItem]:
    return [item for item in items if item_vin(item)] or items


def contract_vehicles(contract: Contract) -> list[LeasedItem]:
    """The leased items a permit can be for: those with a VIN, else every item (the form's choice)."""
    return _vehicles(list(contract.items.prefetch_related("serial_numbers").order_by("pk")))


def vehicle_choices(contracts: list[Contract]) -> dict[int, list[tuple[int, str]]]:
    """Contract id → (item id, "name (VIN …)") of the vehicles each contract's permit can be for (the form's
    select; contract_vehicles for many contracts in two queries)."""
    items = LeasedItem.objects.filter(contract__in=contracts).prefetch_related("serial_numbers")
    choices: dict[int, list[tuple[int, str]]] = {}
    for contract_id, group in groupby(items.order_by("contract_id", "pk"), key=lambda item: item.contract_id):
        choices[contract_id] = [(item.pk, vehicle_label(item)) for item in _vehicles(list(group))]
    return choices


def vehicle_label(item: LeasedItem) -> str:
    """The vehicle as the pages name it: "Renault Master (VIN VF1MA000012345678)"."""
    vin = item_vin(item)
    return f"{item.name} (VIN {vin})" if vin else item.name


def vehicle_of(contract: Contract, item_id: int | None = None) -> tuple[str, str]:
    """(description, VIN) of the vehicle the permit is for: the one the client chose (`item_id`, checked
    at submit to be one of contract_vehicles), else the contract's only one, else the contract itself."""
    vehicles = contract_vehicles(contract)
    chosen = next((item for item in vehicles if item.pk == item_id), vehicles[0] if vehicles else None)
    if chosen is None:
        return contract.number, ""
    return chosen.name, item_vin(chosen)


def new_code() -> str:
    """20 random bytes in base32 groups (e.g. ABCD-EFGH-…): unguessable, easy to type from paper."""
    raw = secrets.token_bytes(20)
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


@register("issue_vehicle_permit")
def issue_vehicle_permit(params: dict, data: dict) -> dict:
    from backend.permits.pdf import render_permit_pdf

    portal_request = _request(data)
    existing = VehiclePermit.objects.filter(request=portal_request).first()
    if existing is not None:  # a retried step must not issue a second permit
        return {"permit_id": existing.pk, "code": existing.code, "document_id": existing.document_id}
    contract = portal_request.contract
    form = portal_request.form_data
    # At submit the trip cannot start in the past; staff decide later, when it may be over.
    refusal = trip_ended_refusal(form)
    if refusal:
        raise PermitTripEnded(refusal, fields={"decision": [refusal]})
    vehicle, vin = vehicle_of(contract, form.get("item_id"))
    permit = VehiclePermit.objects.create(
        request=portal_request,
        client_id=portal_request.client_id,
        contract=contract,
        code=new_code(),
        holder_name=portal_request.client.name,
        vehicle=vehicle,
        vin=vin,
        countries=list(form["countries"]),
        date_from=date.fromisoformat(form["date_from"]),
        date_to=date.fromisoformat(form["date_to"]),
        failed_rule=",".join(rule["rule"] for rule in failed_rules(data)),
        staff_reason=data.get("answer", "") if failed_rules(data) else "",
    )
    content = render_permit_pdf(permit, request_number=portal_request.number, contract_number=contract.number)
    path = store_bytes(content, folder="documents/permits", extension="pdf")
    document = Document.objects.create(
        client_id=portal_request.client_id,
        contract=contract,
        kind=Document.Kind.DECISION,
        title=f"Zgoda na wyjazd za granicę / Permit to go abroad ({portal_request.number})",
        request_number=portal_request.number,
        language=Document.Language.POLISH_ENGLISH,  # the permit's PDF is bilingual, and so is its title
        file=path,
        original_name=f"{portal_request.number.replace('/', '-')}-zgoda-permit.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        issued_on=timezone.localdate(),
    )
    VehiclePermit.objects.filter(pk=permit.pk).update(document=document)
    PortalRequest.objects.filter(pk=portal_request.pk).update(decision_document=document)
    history.document_issued(
        portal_request,
        title=document.title,
        data={"document_id": document.pk, "document_kind": document.kind, "permit_code": permit.code},
    )
    return {"permit_id": permit.pk, "code": permit.code, "document_id": document.pk}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def failed_rules(data: dict) -> list[dict[str, str]]:
    """The rules the DMN table found broken, in the table's order: {"rule", "message", "message_en"}.

    The shipped table's hit policy is COLLECT (every failed rule, each output a list ending with the
    always-matching rule's empty values); a FIRST or UNIQUE table of a version deployed before gives one
    value per output. Both shapes read the same here."""
    if data.get("allowed") in (True, [True]):
        return []
    columns = [_as_list(data.get(name)) for name in ("failed_rule", "failed_message", "failed_message_en")]
    rules = []
    for rule, message, english in zip_longest(*columns, fillvalue=""):
        if rule:
            rules.append({"rule": str(rule), "message": str(message or ""), "message_en": str(english or "")})
    return rules or [{"rule": "unknown", "message": "", "message_en": ""}]


@register("record_permit_rule_failure")
def record_permit_rule_failure(params: dict, data: dict) -> dict:
    """Name every failed rule in the request's history (one row), so staff see all the reasons the
    request came to them before they approve it anyway. `failed_rule` stays the first rule's code (rows
    written before several were listed have only it)."""
    portal_request = _request(data)
    rules = failed_rules(data)
    history.rule_failed(
        portal_request,
        message=" ".join(rule["message"] for rule in rules if rule["message"]),
        data={
            "failed_rule": rules[0]["rule"],
            "failed_rules": [rule["rule"] for rule in rules],
            "message_en": " ".join(rule["message_en"] for rule in rules if rule["message_en"]),
        },
    )
    return {"failed_rule": rules[0]["rule"], "failed_rules": [rule["rule"] for rule in rules]}
