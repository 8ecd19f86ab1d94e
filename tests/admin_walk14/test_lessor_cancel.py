"""An administrator cancels a request in the repair console: a confirmation page first (what happens, to
which request, the reason required), then the client reads "cancelled by the lessor" and the reason, not
"withdrawn by the client"."""

from __future__ import annotations

import pytest

from backend.core.models import OutboxEvent
from backend.requests_app import services
from backend.requests_app.models import PortalRequest
from notifications.texts import notice_title
from tests.logged_in_clients import browsing_as
from tests.portal_ui.test_flow_migration import submit_request
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db

REASON = "Wniosek złożony podwójnie, prowadzimy sprawę w wniosku nr 1."


def test_one_post_never_cancels_the_confirmation_page_says_what_happens(admin, client_user, acme):
    # given a running request and the console's former one-click form (a reason, nothing else)
    portal_request = submit_request(client_user, acme)
    instance_id = portal_request.process_instance_id
    browser = browsing_as(admin)

    # when the form is posted as before, or the cancel page opened
    posted = browser.post(f"/ops/instances/{instance_id}/cancel/", {"reason": REASON})
    opened = browser.get(f"/ops/instances/{instance_id}/cancel/")

    # then nothing is cancelled: the page names the request, what will happen, and asks for the reason
    assert ProcessInstance.objects.get(pk=instance_id).status == "running"
    for response in (posted, opened):
        page = response.content.decode()
        assert response.status_code == 200
        assert f"Anulować wniosek {portal_request.number}?" in page
        assert acme.name in page
        assert "Anulowany przez leasingodawcę" in page  # the stage the client will see
        assert "nie można cofnąć" in page
        assert 'name="confirmed" value="yes"' in page
        assert 'id="cancel-reason"' in page and "required" in page
    assert REASON in posted.content.decode()  # the reason typed is kept for the confirmation

    # and the instance page leads there with a link, not a cancelling form
    instance_page = browser.get(f"/ops/instances/{instance_id}/").content.decode()
    assert f'href="/ops/instances/{instance_id}/cancel/"' in instance_page


def test_a_confirmed_cancel_needs_the_reason(admin, client_user, acme):
    portal_request = submit_request(client_user, acme)
    instance_id = portal_request.process_instance_id

    refused = browsing_as(admin).post(
        f"/ops/instances/{instance_id}/cancel/", {"confirmed": "yes", "reason": " "}
    )

    assert refused.status_code == 400
    assert "Podaj powód anulowania" in refused.content.decode()
    assert ProcessInstance.objects.get(pk=instance_id).status == "running"


def test_the_client_reads_cancelled_by_the_lessor_with_the_reason(
    admin, client_user, acme, api_as, django_capture_on_commit_callbacks
):
    # given a running request, cancelled in the console after confirmation
    portal_request = submit_request(client_user, acme)
    instance_id = portal_request.process_instance_id
    with django_capture_on_commit_callbacks(execute=True):
        done = browsing_as(admin).post(
            f"/ops/instances/{instance_id}/cancel/", {"confirmed": "yes", "reason": REASON}
        )
    assert done.status_code == 302 and done["Location"] == f"/ops/instances/{instance_id}/"

    # then the request is cancelled at the lessor's own stage, with the reason on it
    portal_request.refresh_from_db()
    assert (portal_request.status, portal_request.stage) == ("cancelled", "cancelled_by_lessor")

    # the client's page says who cancelled it and why (never "withdrawn by the client")
    page = browsing_as(client_user).get(f"/requests/{portal_request.pk}/").content.decode()
    assert "Anulowany przez leasingodawcę" in page
    assert "Wycofany przez klienta" not in page
    assert "Powód anulowania" in page and REASON in page

    # the API too, in the client's language
    body = api_as(client_user).get(f"/api/requests/{portal_request.pk}/").json()
    assert (body["stage_label"], body["decision_reason"]) == ("Anulowany przez leasingodawcę", REASON)

    # and the stage change the client is told of (notice, e-mail) names the lessor's cancellation
    event = OutboxEvent.objects.filter(
        kind=OutboxEvent.Kind.REQUEST_STAGE_CHANGED, subject_id=portal_request.pk
    ).latest("pk")
    assert event.payload["stage"] == "cancelled_by_lessor"
    assert "Anulowany przez leasingodawcę" in notice_title(event.kind, event.payload)


def test_a_withdrawal_still_reads_withdrawn_by_the_client(client_user, acme):
    portal_request = submit_request(client_user, acme)

    services.cancel_request(user=client_user, portal_request=portal_request)

    portal_request = PortalRequest.objects.get(pk=portal_request.pk)
    assert (portal_request.stage, portal_request.decision_reason) == ("cancelled", "")
    page = browsing_as(client_user).get(f"/requests/{portal_request.pk}/").content.decode()
    assert "Wycofany przez klienta" in page
    assert "Powód anulowania" not in page


@pytest.mark.parametrize("reserved", ["cancelled", "cancelled_by_lessor"])
def test_deploy_refuses_a_step_named_like_a_cancelled_request(reserved):
    # The two stages of a request cancelled from outside its flow are the portal's: a BPMN end event or
    # task with the same id would read as "cancelled by the lessor" (or "withdrawn by the client").
    from tests.workflows_deploy.test_deploy_refusals import PAYMENT_XML, refusal

    xml = PAYMENT_XML.replace('"request_rejected"', f'"{reserved}"')

    assert "zarezerwowane dla anulowanego wniosku" in " ".join(refusal(xml)[reserved])
