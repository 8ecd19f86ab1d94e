"""Shared flows and steps of the version tests."""

from __future__ import annotations

from tests.workflows.test_services import PAYMENT_XML, submit
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version

# Staff's "reject" asks the client instead of ending the request: deployable by every static rule (the
# rejected end event is still there, no path reaches it), wrong in behaviour: only the test run sees it.
REJECT_WAITS_XML = PAYMENT_XML.replace(
    'name="Odrzuć z uzasadnieniem" sourceRef="decision_gateway" targetRef="issue_rejection_document"',
    'name="Odrzuć z uzasadnieniem" sourceRef="decision_gateway" targetRef="client_reply"',
)
# Staff's "reject" ends in the approved outcome (the `rejected` one the contract requires sits on the
# reminder's side-branch end event instead): deploy refuses it before the test run, as no path to either
# of them runs what its outcome needs (the change, the decision document: contract.effects).
REJECT_APPROVES_XML = PAYMENT_XML.replace(
    '<spiffworkflow:property name="outcome" value="rejected" />',
    '<spiffworkflow:property name="outcome" value="approved" />',
).replace(
    '<spiffworkflow:property name="titleEn" value="Reminder sent" />',
    '<spiffworkflow:property name="titleEn" value="Reminder sent" />\n'
    '          <spiffworkflow:property name="outcome" value="rejected" />',
)
RELABELLED_XML = PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku")
# The reminder after 10 days instead of 14.
EARLIER_REMINDER_XML = RELABELLED_XML.replace("&quot;P14D&quot;", "&quot;P10D&quot;")


def deploy_v2(analyst, xml: str = RELABELLED_XML) -> ProcessVersion:
    version = deploy_bpmn_version(xml=xml, by=analyst)
    assert version.number == 2
    return version


def ask_client(api_as, client_user, bok_staff, contract) -> dict:
    """Submit a payment day change and let staff ask the client: it waits at client_reply."""
    request = submit(api_as(client_user), contract)
    response = api_as(bok_staff).post(
        f"/api/staff/requests/{request['id']}/ask-client/", {"question": "Dokumenty?"}, format="json"
    )
    assert response.status_code == 200, response.json()
    return request
