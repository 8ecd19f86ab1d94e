"""The analyst's pages: versions (current vs newest, test run, diff, Test, Rollback) and the dry run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.core.models import AuditLog
from backend.requests_app.models import PortalRequest
from tests.workflows_versions.helpers import EARLIER_REMINDER_XML, ask_client, deploy_v2
from workflows.models import ProcessVersion
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_versions_page_shows_current_newest_test_run_and_diff(client, analyst):
    v2 = deploy_v2(analyst, EARLIER_REMINDER_XML)
    v1 = ProcessVersion.objects.get(process_key=KEY, number=1)
    client.force_login(analyst)
    client.post(
        reverse("flow-version-rollback", args=[KEY, v1.pk]), {"reason": "v2 za wcześnie", "confirm": "on"}
    )

    response = client.get(reverse("flow-versions", args=[KEY]))

    body = response.content.decode()
    assert response.status_code == 200
    v1_section = body.split('data-testid="version-1"')[1]
    v2_section = body.split('data-testid="version-2"')[1].split('data-testid="version-1"')[0]
    assert 'data-testid="current-badge"' in v1_section and 'data-testid="current-badge"' not in v2_section
    assert "Najnowsza" in v2_section
    # v2's test run per path, and what it changes against the current v1
    assert v2_section.count("badge-path-passed") == 5
    # (the reminder path's label says the day of v2's own reminder timer)
    assert "Przypomnienie w 10. dniu oczekiwania na klienta" in v2_section
    assert ">2 zmienione elementy" in v2_section  # only the counts that are not zero
    assert "Zegar na zadaniu „Po 14 dniach bez odpowiedzi”: czas: „P14D” → „P10D”" in v2_section
    assert 'data-testid="rollback-2"' in body and 'data-testid="rollback-1"' not in body
    listing = client.get(reverse("flow-list")).content.decode()
    assert "nie najnowsza" in listing.split(f'data-testid="current-{KEY}"')[1][:200]
    assert v2.number == 2


def test_test_button_runs_and_keeps_the_result(client, analyst):
    v1 = get_current_version(KEY)
    ProcessVersion.objects.filter(pk=v1.pk).update(test_run={})
    client.force_login(analyst)

    response = client.post(reverse("flow-version-test", args=[KEY, v1.pk]), follow=True)

    v1.refresh_from_db()
    assert v1.test_run["passed"] is True
    assert "Wersja 1 przeszła przebieg testowy." in response.content.decode()
    assert response.content.decode().count("badge-path-passed") == 5


def test_rollback_form_needs_reason_and_confirmation_then_audits(client, analyst):
    deploy_v2(analyst)
    v1 = ProcessVersion.objects.get(process_key=KEY, number=1)
    client.force_login(analyst)
    url = reverse("flow-version-rollback", args=[KEY, v1.pk])

    refused = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "Błąd w v2", "confirm": "on"})

    body = refused.content.decode()
    assert refused.status_code == 400
    assert 'id="reason-1-error"' in body and 'id="confirm-1-error"' in body
    assert done.status_code == 302
    assert get_current_version(KEY) == v1
    audit = AuditLog.objects.get(action="workflow.rollback")
    assert (audit.user, audit.detail["reason"], audit.detail["from_version"]) == (analyst, "Błąd w v2", 2)


@pytest.mark.parametrize("who", ["bok_staff", "client_user"])
def test_versions_pages_are_for_analysts_only(client, request, who):
    user = request.getfixturevalue(who)
    v1 = get_current_version(KEY)
    client.force_login(user)

    assert client.get(reverse("flow-versions", args=[KEY])).status_code == 403
    assert client.post(reverse("flow-version-test", args=[KEY, v1.pk])).status_code == 403
    assert (
        client.post(
            reverse("flow-version-rollback", args=[KEY, v1.pk]), {"reason": "x", "confirm": "on"}
        ).status_code
        == 403
    )


def test_a_version_of_another_flow_is_not_found(client, analyst):
    other = get_current_version("other_request")
    client.force_login(analyst)

    assert client.post(reverse("flow-version-test", args=[KEY, other.pk])).status_code == 404


def test_migration_pages_show_the_dry_run_before_the_move(
    client, api_as, analyst, client_user, bok_staff, acme_contract
):
    request = ask_client(api_as, client_user, bok_staff, acme_contract)
    deploy_v2(analyst)
    instance = PortalRequest.objects.get(pk=request["id"]).process_instance

    listing = page(client, analyst, reverse("flow-migrations", args=[KEY])).content.decode()
    form = client.get(reverse("flow-migration", args=[KEY, instance.pk])).content.decode()

    assert "Można przenieść" in listing.split(f'data-testid="dry-run-{instance.pk}"')[1][:300]
    row = form.split('data-testid="dry-run-v2"')[1].split("</tr>")[0]
    assert "badge-path-passed" in row
    # each timer due now and after the move, by its name (reminder_timer, cancel_timer)
    assert row.count("„Po 14 dniach bez odpowiedzi”") == 2 and row.count("„Po 30 dniach bez odpowiedzi”") == 2
    instance.refresh_from_db()
    assert instance.process_version.number == 1
