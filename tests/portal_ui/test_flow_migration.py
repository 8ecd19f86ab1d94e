"""Moving running requests to another version of their flow, from the analyst's pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from backend.core.models import AuditLog
from backend.requests_app import services as request_services
from backend.requests_app import task_hands
from backend.requests_app.models import PortalRequest, RequestKind
from portal_ui import editor_views
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_request_pages import payment_day_form
from tests.workflows.test_services import MINIMAL_V2, PAYMENT_XML, store_untested_version
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = pytest.mark.django_db
PROCESS = RequestKind.PAYMENT_DATE_CHANGE


def submit_request(client_user, acme, n: int = 0) -> PortalRequest:
    """Submit a payment day change from the client's own browser (its notices stay there)."""
    contract = ContractFactory(client=acme, payment_day=15, schedule=False)
    form = payment_day_form(contract, idempotency_key=f"migrate-{n}")
    response = logged_in(Client(), client_user).post(f"/requests/new/{PROCESS}/", form)
    assert response.status_code == 302
    return PortalRequest.objects.get(contract=contract)


@pytest.fixture
def old_request(client_user, acme) -> PortalRequest:
    """A request running on version 1 of its flow."""
    return submit_request(client_user, acme)


@pytest.fixture
def v2(analyst) -> ProcessVersion:
    return deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)


def list_url() -> str:
    return reverse("flow-migrations", args=[PROCESS])


def form_url(portal_request: PortalRequest) -> str:
    return reverse("flow-migration", args=[PROCESS, portal_request.process_instance_id])


def test_the_list_shows_running_requests_on_older_versions_only(
    client, client_user, acme, analyst, old_request, v2
):
    # given a second request started after version 2 was deployed
    new_request = submit_request(client_user, acme, n=1)
    assert new_request.process_instance.process_version == v2
    # when the analyst opens the list
    body = logged_in(client, analyst).get(list_url()).content.decode()
    # then only the request on version 1 is offered, with its stage, task and version
    assert old_request.number in body and new_request.number not in body
    assert '<td data-label="Wersja">v1</td>' in body
    assert "Weryfikacja przez BOK" in body and "staff_review" in body
    assert f'href="{form_url(old_request)}"' in body


def test_the_list_pages_through_many_requests(client, client_user, acme, analyst, monkeypatch):
    first, second = submit_request(client_user, acme), submit_request(client_user, acme, n=1)
    deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    monkeypatch.setattr(editor_views, "MIGRATION_PAGE_SIZE", 1)
    logged_in(client, analyst)
    page1 = client.get(list_url()).content.decode()
    page2 = client.get(list_url(), {"page": 2}).content.decode()
    assert first.number in page1 and second.number not in page1 and 'rel="next"' in page1
    assert second.number in page2 and first.number not in page2


def test_the_list_says_when_nothing_is_on_an_older_version(client, analyst, old_request):
    body = logged_in(client, analyst).get(list_url()).content.decode()
    assert old_request.number not in body
    assert "bieżącej wersji (1)" in body


def test_analyst_moves_a_request_and_the_move_is_audited(client, analyst, old_request, v2):
    # given the form, with the newest version chosen already
    logged_in(client, analyst)
    form = client.get(form_url(old_request)).content.decode()
    assert f'<option value="{v2.pk}" selected>' in form and 'name="csrfmiddlewaretoken"' in form
    # when the analyst confirms the move
    response = client.post(form_url(old_request), {"version_id": v2.pk, "confirm": "on"}, follow=True)
    # then the request runs on version 2, the list says so, and the audit log has the move
    assert response.redirect_chain[-1][0] == list_url()
    assert f"Wniosek {old_request.number} działa teraz na wersji 2." in response.content.decode()
    old_request.process_instance.refresh_from_db()
    assert old_request.process_instance.process_version == v2
    audit = AuditLog.objects.get(action="workflow.migrate_instance")
    assert audit.user == analyst
    assert audit.detail["from_version"] == 1 and audit.detail["to_version"] == 2
    assert audit.detail["instance_id"] == old_request.process_instance_id


@pytest.mark.parametrize("who", ["bok_staff", "client_user"])
def test_staff_and_clients_may_not_move_requests(client, request, who, old_request, v2):
    user = request.getfixturevalue(who)
    logged_in(client, user)
    assert client.get(list_url()).status_code == 403
    assert client.get(form_url(old_request)).status_code == 403
    assert client.post(form_url(old_request), {"version_id": v2.pk, "confirm": "on"}).status_code == 403
    old_request.process_instance.refresh_from_db()
    assert old_request.process_instance.process_version.number == 1
    assert not AuditLog.objects.filter(action="workflow.migrate_instance").exists()


def test_a_version_lacking_the_current_step_is_refused_in_the_form(client, analyst, bok_staff, old_request):
    # given a request waiting for the client, and a version 2 without that step
    task_hands.claim_request(staff=bok_staff, portal_request=old_request)
    request_services.complete_staff_task(
        staff=bok_staff,
        portal_request=old_request,
        data={"decision": "ask_client", "question": "Dokumenty?"},
        attachment_ids=[],
    )
    v2 = store_untested_version(MINIMAL_V2)
    # when the analyst tries to move it
    response = logged_in(client, analyst).post(form_url(old_request), {"version_id": v2.pk, "confirm": "on"})
    # then the service's reason sits next to the version, and the choice and the confirmation are kept
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_version_id-error"' in body and "W nowej wersji brakuje elementów" in body
    assert 'aria-invalid="true" aria-describedby="id_version_id-error"' in body
    assert (
        f'<option value="{v2.pk}" selected>' in body and 'name="confirm" value="on" required checked' in body
    )
    old_request.process_instance.refresh_from_db()
    assert old_request.process_instance.process_version.number == 1
    assert not AuditLog.objects.filter(action="workflow.migrate_instance").exists()


def test_the_move_needs_a_confirmation_and_a_version_of_this_flow(client, analyst, old_request, v2):
    logged_in(client, analyst)
    # without the confirmation: an error, the chosen version kept
    response = client.post(form_url(old_request), {"version_id": v2.pk})
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_confirm-error"' in body
    assert f'<option value="{v2.pk}" selected>' in body
    # a version of another flow, or the current one: an error next to the version
    for version in [get_current_version("other_request"), old_request.process_instance.process_version]:
        response = client.post(form_url(old_request), {"version_id": version.pk, "confirm": "on"})
        assert response.status_code == 400 and 'id="id_version_id-error"' in response.content.decode()
    old_request.process_instance.refresh_from_db()
    assert old_request.process_instance.process_version.number == 1


def test_an_instance_of_another_flow_is_not_found(client, analyst, old_request, v2):
    url = reverse("flow-migration", args=["other_request", old_request.process_instance_id])
    assert logged_in(client, analyst).get(url).status_code == 404
    assert client.get(reverse("flow-migrations", args=["no_such_flow"])).status_code == 404


def test_the_flow_pages_link_to_the_older_versions_once_there_are_two(client, analyst, old_request):
    logged_in(client, analyst)
    assert list_url() not in client.get("/analyst/flows/").content.decode()
    deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    assert f'href="{list_url()}"' in client.get("/analyst/flows/").content.decode()
    assert f'href="{list_url()}"' in client.get(f"/analyst/flows/{PROCESS}/").content.decode()
