"""The repair console's pages: analysts and admins only; a refused action shows the service's message."""

from __future__ import annotations

import pytest

from backend.core.models import AuditLog
from tests.logged_in_clients import browsing_as
from tests.portal_ui.test_flow_migration import submit_request
from workflows.models import Incident, ProcessInstance

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["client_user", "bok_staff"])
def test_clients_and_staff_cannot_open_or_use_the_console(who, request, client_user, acme):
    portal_request = submit_request(client_user, acme)
    instance = portal_request.process_instance
    incident = Incident.objects.create(instance=instance, action="timer", error_class="RuntimeError")
    browser = browsing_as(request.getfixturevalue(who))

    assert browser.get("/ops/").status_code == 403
    assert browser.get(f"/ops/instances/{instance.pk}/").status_code == 403
    assert browser.post(f"/ops/instances/{instance.pk}/suspend/", {"note": "x"}).status_code == 403
    assert browser.post(f"/ops/instances/{instance.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert browser.post(f"/ops/incidents/{incident.pk}/resolve/", {"note": "x"}).status_code == 403
    instance.refresh_from_db()
    assert (instance.status, instance.suspended) == ("running", False)
    assert not AuditLog.objects.filter(action__startswith="workflow.repair.").exists()


def test_page_actions_use_the_repair_services(analyst, client_user, acme):
    portal_request = submit_request(client_user, acme)
    instance = portal_request.process_instance
    browser = browsing_as(analyst)

    # a confirmed cancel without a reason is refused with the service's message, in Polish
    refused = browser.post(f"/ops/instances/{instance.pk}/cancel/", {"reason": "", "confirmed": "yes"})
    assert "Podaj powód anulowania" in refused.content.decode()
    # data that is not a JSON object is refused before the service
    bad = browser.post(f"/ops/instances/{instance.pk}/edit-data/", {"data": "[1"}, follow=True)
    assert "Wpisz dane jako obiekt JSON" in bad.content.decode()
    # nor does text with a NUL (PostgreSQL cannot store it) or JSON deeper than the decoder goes
    cases = [
        ('{"decision": "a\\u0000b"}', "znaku NUL"),
        ("[" * 3000 + "]" * 3000, "Wpisz dane jako obiekt JSON"),
    ]
    for data, message in cases:
        refused = browser.post(f"/ops/instances/{instance.pk}/edit-data/", {"data": data}, follow=True)
        assert message in refused.content.decode()
    # data valid for the form is saved; an unknown action and instance are 404
    saved = browser.post(
        f"/ops/instances/{instance.pk}/edit-data/", {"data": '{"decision": "approve"}'}, follow=True
    )
    assert "Dane zadania zostały zapisane" in saved.content.decode()
    assert AuditLog.objects.get(action="workflow.repair.edit_data").detail["changed_keys"] == ["decision"]
    assert browser.post(f"/ops/instances/{instance.pk}/explode/").status_code == 404
    assert browser.get("/ops/instances/999999/").status_code == 404

    # returning the request to the task where it already waits keeps it there, audited
    moved = browser.post(f"/ops/instances/{instance.pk}/move-token/", {"task": "staff_review"}, follow=True)
    assert "Wniosek wrócił do wybranego zadania" in moved.content.decode()
    assert ProcessInstance.objects.get(pk=instance.pk).stage == "staff_review"


def test_the_menu_leads_analysts_to_the_console_and_nobody_else(analyst, bok_staff):
    # given
    analyst_page = browsing_as(analyst).get("/staff/").content.decode()
    staff_page = browsing_as(bok_staff).get("/staff/").content.decode()

    # then
    assert 'href="/ops/"' in analyst_page
    assert ">Naprawy<" in analyst_page
    assert 'href="/ops/"' not in staff_page


def test_the_console_names_request_types_and_stages_beside_their_ids(analyst, client_user, acme):
    # The counts and the overdue list showed only ids ("payment_date_change", "staff_review").
    from datetime import timedelta

    from django.utils import timezone

    from backend.requests_app.models import PortalRequest

    portal_request = submit_request(client_user, acme)
    ProcessInstance.objects.filter(pk=portal_request.process_instance_id).update(
        updated_at=timezone.now() - timedelta(days=60)
    )
    # Staff's wait is overdue past the due time stored with the request (working days, lifecycle.py).
    PortalRequest.objects.filter(pk=portal_request.pk).update(
        staff_due_at=timezone.now() - timedelta(days=50)
    )

    html = browsing_as(analyst).get("/ops/").content.decode()

    for section in ("ops-overdue", "ops-counts"):
        part = html[html.index(f'data-testid="{section}"') :]
        part = part[: part.index("</section>")]
        assert (
            "Zmiana daty płatności raty" in part and '<code class="ops-id">payment_date_change</code>' in part
        )
        assert "Weryfikacja przez BOK" in part and '<code class="ops-id">staff_review</code>' in part


def test_the_instance_page_names_its_type_and_stage_in_the_users_language(analyst, client_user, acme):
    portal_request = submit_request(client_user, acme)
    browser = browsing_as(analyst)
    page = f"/ops/instances/{portal_request.process_instance_id}/"

    polish = browser.get(page).content.decode()
    assert 'Zmiana daty płatności raty v1 <code class="ops-id">payment_date_change</code>' in polish
    assert 'Weryfikacja przez BOK <code class="ops-id">staff_review</code>' in polish

    analyst.language = "en"
    analyst.save(update_fields=["language"])
    english = browser.get(page).content.decode()
    assert 'Payment day change v1 <code class="ops-id">payment_date_change</code>' in english
    # the tasks a token can move back to, by their English titles
    assert '<option value="staff_review">Review by customer service (staff_review)</option>' in english
