"""A staff e-mail about a request's task names it by its kind's noun ("Reklamacja"/"Wniosek"): the kind comes
with the outbox event (backend/requests_app/outbox.py: `request_kind`), so the worker reads no request for
it; an event written before events carried it (in the outbox at deploy time) still reads it, and its e-mail
is the same."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.core.models import OutboxEvent
from backend.requests_app import outbox
from backend.requests_app.models import PortalRequest, RequestKind
from notifications import services
from notifications.emails import build_email
from notifications.models import Delivery
from notifications.recipients import REQUEST_ASSIGNED_TEMPLATE, STAFF_OVERDUE_TEMPLATE, TASK_TEMPLATE
from tests.complaint_helpers import submit_complaint
from tests.request_helpers import ask_client, claim

pytestmark = pytest.mark.django_db

STAFF_REQUEST_EMAILS = [REQUEST_ASSIGNED_TEMPLATE, STAFF_OVERDUE_TEMPLATE, TASK_TEMPLATE]


def notify_new_events() -> None:
    """The worker's notices and deliveries of the events written since, as after each commit."""
    events = OutboxEvent.objects.filter(notified_at=None).order_by("id").values_list("id", flat=True)
    services.create_notifications_for_events(event_ids=list(events))


def staff_delivery(api_as, client_user, bok_staff, second_staff, template: str) -> Delivery:
    """The delivery of `template` to the second staff member about a complaint, its event written by the
    request's own actions: given to them, then past its due time or, asked about and answered, back with them."""
    request_id = submit_complaint(api_as(client_user))["id"]
    notify_new_events()
    claim(api_as(bok_staff), request_id)
    notify_new_events()
    given = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/assign/",
        {"assignee_id": second_staff.pk, "expected_assignee_id": bok_staff.pk},
        format="json",
    )
    assert given.status_code == 200, given.json()
    notify_new_events()
    if template == STAFF_OVERDUE_TEMPLATE:
        outbox.staff_overdue(PortalRequest.objects.get(pk=request_id))  # the overdue sweep's event
        notify_new_events()
    if template == TASK_TEMPLATE:
        assert ask_client(api_as(second_staff), request_id).status_code == 200
        notify_new_events()
        replied = api_as(client_user).post(f"/api/requests/{request_id}/reply/", {"message": "Skan."})
        assert replied.status_code == 200, replied.json()
        notify_new_events()
    # Loaded as the worker loads a batch's deliveries (services.send_deliveries).
    return Delivery.objects.select_related("event__client", "recipient").get(
        template=template, recipient=second_staff
    )


def parts(message) -> tuple:
    return (message.subject, message.body, message.alternatives, message.to, message.extra_headers)


@pytest.mark.parametrize("template", STAFF_REQUEST_EMAILS)
def test_the_events_of_a_staff_email_carry_the_requests_kind(
    api_as, client_user, bok_staff, second_staff, template
):
    delivery = staff_delivery(api_as, client_user, bok_staff, second_staff, template)

    assert delivery.event.payload["request_kind"] == RequestKind.COMPLAINT


@pytest.mark.parametrize("template", STAFF_REQUEST_EMAILS)
def test_a_staff_email_reads_its_requests_kind_from_its_event_not_from_the_request(
    api_as, client_user, bok_staff, second_staff, django_assert_num_queries, template
):
    # given a staff e-mail's delivery, and its event as one written before events carried the kind
    delivery = staff_delivery(api_as, client_user, bok_staff, second_staff, template)
    payload = {**delivery.event.payload, "request_kind": RequestKind.COMPLAINT}
    delivery.event.payload = {key: value for key, value in payload.items() if key != "request_kind"}
    build_email(delivery)  # once before counting: what is read once per process or connection
    with CaptureQueriesContext(connection) as reads_of_an_old_event:
        from_old_event = build_email(delivery)

    # when its event carries the kind
    delivery.event.payload = payload
    with django_assert_num_queries(len(reads_of_an_old_event) - 1):  # then one query fewer
        message = build_email(delivery)

    # and the e-mail is the same, naming a complaint
    assert parts(message) == parts(from_old_event)
    assert message.subject.startswith("Reklamacja ")
