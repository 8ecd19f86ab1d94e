"""The permit request through the API: issued at once when every rule passes, staff review with the failed
rule named otherwise, the PDF with its verification code and the public verification page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as PageClient
from django.utils import timezone

from backend.contracts.models import Contract, InsurancePolicy
from backend.permits.models import VehiclePermit
from backend.requests_app.models import PortalRequest
from tests.factories import InvoiceFactory
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db
KIND = "vehicle_abroad_permit"


def trip(countries=("DE", "CZ"), start=10, days=10) -> dict:
    today = timezone.localdate()
    return {
        "countries": list(countries),
        "date_from": (today + timedelta(days=start)).isoformat(),
        "date_to": (today + timedelta(days=start + days - 1)).isoformat(),
    }


def submit(api, contract, data):
    return api.post("/api/requests/", submission(KIND, contract=contract, data=data), format="json")


def test_all_rules_pass_the_permit_is_issued_at_once(
    api_as, client_user, vehicle_contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(api_as(client_user), vehicle_contract, trip())
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "completed"
    permit = VehiclePermit.objects.get(request_id=response.json()["id"])
    assert permit.countries == ["DE", "CZ"] and permit.vin == "TMBJJ7NE0L0000001"
    assert permit.holder_name == vehicle_contract.client.name
    assert permit.failed_rule == "" and permit.status == VehiclePermit.Status.VALID
    assert len(permit.code.replace("-", "")) == 32  # 160 random bits in base32
    # the bilingual PDF is the request's decision document and a document of the contract
    detail = api_as(client_user).get(f"/api/requests/{permit.request_id}/").json()
    assert detail["decision_document_url"]
    pdf = api_as(client_user).get(detail["decision_document_url"])
    assert (
        pdf.status_code == 200
        and b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:5] == b"%PDF-"
    )
    assert permit.document.contract_id == vehicle_contract.pk
    assert any(event["data"].get("permit_code") == permit.code for event in detail["history"])


def test_the_pdf_is_bilingual_and_carries_the_code(vehicle_contract, acme, client_user, api_as):
    from backend.permits.pdf import permit_html

    response = submit(api_as(client_user), vehicle_contract, trip(["AT"]))
    permit = VehiclePermit.objects.get(request_id=response.json()["id"])
    html = permit_html(permit, request_number="WN/1", contract_number=vehicle_contract.number)
    for text in (
        "Zgoda na wyjazd",
        "Permit to take",
        "Austria (AT)",
        permit.code,
        f"/verify/permit/{permit.code}/",
    ):
        assert text in html


@pytest.mark.parametrize(
    ("arrange", "data", "rule"),
    [
        (lambda contract: None, trip(["RU"]), "country_not_allowed"),
        (lambda contract: None, trip(["RS"]), "outside_policy_scope"),  # the policy covers the EU/EEA only
        (
            lambda contract: InvoiceFactory(
                client=contract.client,
                issue_date=timezone.localdate() - timedelta(days=40),
                due_date=timezone.localdate() - timedelta(days=26),
            ),
            trip(),
            "overdue_invoices",
        ),
        (lambda contract: None, trip(days=120), "too_long"),
        (  # the only policy ends before the return: its end is the reason, not its territorial scope
            lambda contract: InsurancePolicy.objects.filter(contract=contract).update(
                period_end=timezone.localdate() + timedelta(days=12)
            ),
            trip(),
            "policy_ends_before_return",
        ),
        (
            lambda contract: Contract.objects.filter(pk=contract.pk).update(
                end_date=timezone.localdate() + timedelta(days=12)
            ),
            trip(),
            "dates_outside_contract",
        ),
    ],
)
def test_a_failed_rule_sends_the_request_to_staff_named(
    api_as, client_user, bok_staff, vehicle_contract, arrange, data, rule
):
    arrange(vehicle_contract)
    response = submit(api_as(client_user), vehicle_contract, data)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "in_review"
    assert not VehiclePermit.objects.exists()
    staff_view = api_as(bok_staff).get(f"/api/staff/requests/{response.json()['id']}/").json()
    failed = [e for e in staff_view["history"] if e["kind"] == "rule_failed"]
    assert [e["data"]["failed_rule"] for e in failed] == [rule]
    assert failed[0]["message"]


@pytest.mark.parametrize("status", [Contract.Status.CLOSED, Contract.Status.TERMINATED])
def test_a_contract_no_longer_active_is_refused_at_submit_next_to_the_contract(
    api_as, client_user, vehicle_contract, status
):
    # the permit page offers active contracts only; the API refuses the others with the same rule
    Contract.objects.filter(pk=vehicle_contract.pk).update(status=status)
    response = submit(api_as(client_user), vehicle_contract, trip())
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["contract_id"], body
    assert vehicle_contract.number in body["fields"]["contract_id"][0]
    assert "nie jest już aktywna" in body["fields"]["contract_id"][0]
    assert not PortalRequest.objects.exists()


def test_staff_approve_anyway_with_a_reason(
    api_as, client_user, bok_staff, vehicle_contract, django_capture_on_commit_callbacks
):
    request_id = submit(api_as(client_user), vehicle_contract, trip(["RS"])).json()["id"]
    staff = api_as(bok_staff)
    # approving without a reason is refused next to the field
    response = staff.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")
    assert response.status_code == 400 and "answer" in response.json()["fields"], response.json()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/api/staff/requests/{request_id}/approve/",
            {"answer": "Rozszerzenie polisy dokupione."},
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
    permit = VehiclePermit.objects.get(request_id=request_id)
    assert (permit.failed_rule, permit.staff_reason) == (
        "outside_policy_scope",
        "Rozszerzenie polisy dokupione.",
    )


def test_staff_reject_issues_no_permit(
    api_as, client_user, bok_staff, vehicle_contract, django_capture_on_commit_callbacks
):
    request_id = submit(api_as(client_user), vehicle_contract, trip(["RU"])).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/reject/", {"reason": "Kraj objęty sankcjami."}, format="json"
        )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "rejected"
    assert not VehiclePermit.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**trip(), "countries": []}, "countries"),
        ({**trip(), "countries": ["XX"]}, "countries"),
        ({**trip(start=-1)}, "date_from"),
        ({**trip(), "date_to": timezone.localdate().isoformat()}, "date_to"),
        ({"countries": ["DE"]}, "date_from"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(api_as, client_user, vehicle_contract, data, field):
    response = submit(api_as(client_user), vehicle_contract, data)
    assert response.status_code == 400
    body = response.json()
    assert any(key.startswith(f"data.{field}") for key in body["fields"]), body
    assert not PortalRequest.objects.exists()


def test_the_permit_needs_a_contract(api_as, client_user):
    response = api_as(client_user).post("/api/requests/", submission(KIND, data=trip()), format="json")
    assert response.status_code == 400 and "contract_id" in response.json()["fields"]


def test_the_catalogue_offers_the_permit_with_its_form(api_as, client_user):
    kinds = [k for t in api_as(client_user).get("/api/requests/catalogue/").json() for k in t["kinds"]]
    permit = next(k for k in kinds if k["kind"] == KIND)
    assert permit["needs_contract"] is True
    assert "RU" in permit["form_schema"]["properties"]["data"]["properties"]["countries"]["items"]["enum"]


# --------------------------------------------------------------------------------------------------
# The public verification page


@pytest.fixture
def permit(api_as, client_user, vehicle_contract):
    response = submit(api_as(client_user), vehicle_contract, trip(["DE", "AT"], start=0))
    return VehiclePermit.objects.get(request_id=response.json()["id"])


def test_the_verification_page_needs_no_login_and_shows_only_the_permit(permit, vehicle_contract):
    page = PageClient().get(f"/verify/permit/{permit.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-permit-state="valid"' in html
    for shown in (permit.holder_name, "Skoda Octavia", "TMBJJ7NE0L0000001", "Niemcy (DE)", "Austria (AT)"):
        assert shown in html
    client = vehicle_contract.client
    for hidden in (vehicle_contract.number, client.nip, permit.request.number, permit.request.contact_email):
        assert hidden not in html


def test_a_lower_case_code_is_found_and_an_unknown_one_is_404(permit):
    assert PageClient().get(f"/verify/permit/{permit.code.lower()}/").status_code == 200
    page = PageClient().get("/verify/permit/AAAA-BBBB-CCCC/")
    assert page.status_code == 404 and 'data-permit-state="unknown"' in page.content.decode()


def test_a_revoked_permit_says_so(permit):
    VehiclePermit.objects.filter(pk=permit.pk).update(status=VehiclePermit.Status.REVOKED)
    assert (
        'data-permit-state="revoked"' in PageClient().get(f"/verify/permit/{permit.code}/").content.decode()
    )


def test_the_verification_page_is_rate_limited(permit, settings):
    settings.PERMIT_VERIFY_LIMIT_PER_MINUTE = 3
    from django.core.cache import cache

    cache.clear()
    statuses = [PageClient().get(f"/verify/permit/{permit.code}/").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]


def test_the_verification_limit_holds_across_web_processes(permit, settings):
    """Counted in the cache every web process shares (the API throttles'), not in each process's own."""
    settings.PERMIT_VERIFY_LIMIT_PER_MINUTE = 3
    from django.core.cache import cache

    statuses = []
    for _ in range(5):
        statuses.append(PageClient().get(f"/verify/permit/{permit.code}/").status_code)
        cache.clear()  # the next request is answered by another process: its own per-process cache is empty
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
