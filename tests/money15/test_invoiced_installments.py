"""A contract change keeps an installment that is already invoiced: its invoice states its amount and due
date, so the payment day change moves, and the value and schedule changes re-plan, only from the first
installment not invoiced yet; the preview, the form, the staff's figures and the decision say the same."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import approve, decision_text, submit, submit_value_change
from tests.logged_in_clients import browsing_as
from tests.money15.helpers import invoice_installment, next_installment, schedule_of
from tests.staff_walk14.helpers import task_page_text

pytestmark = pytest.mark.django_db


def test_a_payment_day_change_keeps_the_invoiced_installment_on_its_invoices_date(
    api_as, client_user, bok_staff, acme_contract
):
    client_api = api_as(client_user)
    invoiced = next_installment(acme_contract)  # due on the 10th, not yet due, invoiced already
    invoice = invoice_installment(acme_contract, invoiced)
    submitted = submit(
        client_api, "payment_date_change", acme_contract, {"payment_day": 25, "reason": "cash_flow"}
    )
    assert submitted.status_code == 201, submitted.json()

    assert approve(api_as(bok_staff), submitted.json()["id"]).status_code == 200

    schedule = schedule_of(client_api, acme_contract)
    on_invoice = client_api.get(f"/api/invoices/{invoice.pk}/").json()["due_date"]
    # the invoiced installment keeps the date its invoice states ...
    assert schedule[invoiced.number]["due_date"] == on_invoice == invoiced.due_date.isoformat()
    # ... and the change starts with the next one, which the decision names
    assert schedule[invoiced.number + 1]["due_date"].endswith("-25")
    first_moved = schedule[invoiced.number + 1]["due_date"]
    moved_on = ".".join(reversed(first_moved.split("-")))  # the annex's Polish date
    assert f"Nowy dzień płatności rat: 25, od raty nr {invoiced.number + 1} płatnej {moved_on}." in (
        decision_text(submitted.json()["id"])
    )


def test_a_schedule_change_re_plans_from_the_first_installment_not_invoiced(
    api_as, client_user, bok_staff, acme_contract
):
    client_api = api_as(client_user)
    invoiced = next_installment(acme_contract)
    invoice = invoice_installment(acme_contract, invoiced)
    data = {"months": 48, "installment_option": "auto"}
    first = invoiced.number + 1

    # the form, the preview and the staff's figures say where the change starts
    page = PageClient()
    page.force_login(client_user)
    form = page.get(reverse("request-new-kind", args=["schedule_change"])).content.decode()
    assert f'data-kept-installments="{invoiced.number}"' in form
    preview = client_api.post(
        "/api/requests/schedule-quote/",
        {"contract_id": acme_contract.pk, "kind": "schedule_change", **data},
        format="json",
    )
    assert preview.status_code == 200, preview.json()
    assert preview.json()["installments"][0]["number"] == first
    submitted = submit(client_api, "schedule_change", acme_contract, data)
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]
    assert f"Obecna rata netto (nr {first})" in task_page_text(browsing_as(bok_staff), request_id)

    assert approve(api_as(bok_staff), request_id).status_code == 200

    # the invoiced installment is the one its invoice states; the next ones are the new schedule's
    schedule = schedule_of(client_api, acme_contract)
    on_invoice = client_api.get(f"/api/invoices/{invoice.pk}/").json()
    assert schedule[invoiced.number]["due_date"] == on_invoice["due_date"]
    assert schedule[invoiced.number]["gross"] == on_invoice["gross_total"] == str(invoiced.gross)
    assert max(schedule) == 48
    # the annex names where the new schedule starts and ends
    polish = lambda iso: ".".join(reversed(iso.split("-")))  # noqa: E731
    text = decision_text(request_id)
    assert f"(od raty nr {first} płatnej {polish(schedule[first]['due_date'])})" in text
    assert f"Ostatnia rata nr 48 płatna {polish(schedule[48]['due_date'])}." in text
    assert (
        PortalRequest.objects.get(pk=request_id).form_data["previous_values"]["net_installment"]["number"]
        == first
    )


def test_a_value_change_keeps_the_invoiced_installment_as_invoiced(
    api_as, client_user, bok_staff, acme_contract
):
    client_api = api_as(client_user)
    invoiced = next_installment(acme_contract)
    invoice = invoice_installment(acme_contract, invoiced)
    submitted = submit_value_change(client_api, acme_contract, "130000.00")
    assert submitted.status_code == 201, submitted.json()

    assert approve(api_as(bok_staff), submitted.json()["id"]).status_code == 200

    schedule = schedule_of(client_api, acme_contract)
    on_invoice = client_api.get(f"/api/invoices/{invoice.pk}/").json()
    assert schedule[invoiced.number]["gross"] == on_invoice["gross_total"] == str(invoiced.gross)
    assert schedule[invoiced.number]["due_date"] == on_invoice["due_date"]
    assert schedule[invoiced.number + 1]["gross"] != str(invoiced.gross)  # the re-planned ones rose
