"""Stage labels are the deployed BPMN's element names: an analyst's rename shows after deploy.

The label of a request's stage comes from the version the request runs on (Polish `name`, English
`titleEn`), on the client's and staff's pages, in the API, in notices and e-mails; a label of a known
version costs no query.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event
from backend.requests_app.catalogue import stage_choices, stage_label
from backend.requests_app.models import PortalRequest
from notifications.models import Notice
from notifications.services import create_notifications_for_events, send_deliveries
from notifications.texts import stage_label as notice_stage_label
from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import logged_in
from tests.requests_app.helpers import contract_free_for, submission
from workflows import stage_labels

pytestmark = pytest.mark.django_db

PAYMENT_XML = (Path(__file__).resolve().parents[2] / "bpmn" / "payment_date_change.bpmn").read_text(
    encoding="utf-8"
)
RENAMED_PL, RENAMED_EN = "Ocena przez dział umów", "Assessment by the contracts team"
RENAMED_XML = PAYMENT_XML.replace('name="Weryfikacja przez BOK"', f'name="{RENAMED_PL}"').replace(
    'value="Review by customer service"', f'value="{RENAMED_EN}"'
)


def submit(api, contract) -> dict:
    contract = contract_free_for("payment_date_change", contract)
    body = submission(
        "payment_date_change", contract=contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def renamed(api_as, analyst):
    """Version 2 of the payment day change with staff_review renamed, deployed by the analyst."""
    assert RENAMED_XML != PAYMENT_XML
    deployed = api_as(analyst).post("/api/workflows/versions/", {"bpmn_xml": RENAMED_XML}, format="json")
    assert deployed.status_code == 201, deployed.json()
    return deployed.json()


def test_a_renamed_task_is_the_new_label_on_pages_and_in_the_api(
    api_as, client, client_user, bok_staff, acme_contract, analyst
):
    # given a request started on version 1, then a version 2 that renames staff_review
    older = submit(api_as(client_user), acme_contract)
    api_as(analyst).post("/api/workflows/versions/", {"bpmn_xml": RENAMED_XML}, format="json")

    # when the client submits a new request (it starts on the current version, 2)
    newer = submit(api_as(client_user), acme_contract)

    # then the API and the pages show the renamed task in Polish
    api = api_as(client_user)
    assert api.get(f"/api/requests/{newer['id']}/").json()["stage_label"] == RENAMED_PL
    listed = {row["id"]: row["stage_label"] for row in api.get("/api/requests/").json()["results"]}
    assert listed[newer["id"]] == RENAMED_PL
    page = visible_text(logged_in(client, client_user).get(f"/requests/{newer['id']}/").content.decode())
    assert RENAMED_PL in page
    staff_api = api_as(bok_staff)
    assert staff_api.get(f"/api/staff/requests/{newer['id']}/").json()["stage_label"] == RENAMED_PL
    # and the request still on version 1 keeps that version's name
    assert listed[older["id"]] == "Weryfikacja przez BOK"

    # when the client reads in English, then the English title of the element is shown
    client_user.language = "en"
    client_user.save()
    assert api_as(client_user).get(f"/api/requests/{newer['id']}/").json()["stage_label"] == RENAMED_EN
    page = visible_text(logged_in(client, client_user).get(f"/requests/{newer['id']}/").content.decode())
    assert RENAMED_EN in page and RENAMED_PL not in page


def test_notices_and_filters_read_the_deployed_names(api_as, client_user, acme_contract, renamed):
    request = submit(api_as(client_user), acme_contract)
    payload = {"request_id": request["id"], "stage": "staff_review"}

    assert notice_stage_label("staff_review", payload) == RENAMED_PL
    # the staff task list's stage filter labels by the current version
    assert (
        dict(stage_choices(["staff_review"], process_key="payment_date_change"))["staff_review"] == RENAMED_PL
    )


def stage_notice(user, client_company, request: dict) -> Notice:
    return Notice.objects.create(
        recipient=user,
        kind="request.stage_changed",
        client=client_company,
        subject_type="requests_app.portalrequest",
        subject_id=request["id"],
        payload={"request_id": request["id"], "number": request["number"], "stage": "staff_review"},
    )


def test_a_page_of_notices_names_each_stage_by_its_requests_version_in_one_read(
    api_as, analyst, client_user, acme, acme_contract, django_assert_max_num_queries
):
    # given stage notices of a request on version 1 and of requests on version 2, which renamed the task
    api = api_as(client_user)
    older = submit(api, acme_contract)
    api_as(analyst).post("/api/workflows/versions/", {"bpmn_xml": RENAMED_XML}, format="json")
    newer = [submit(api, acme_contract) for _ in range(2)]
    Notice.objects.filter(recipient=client_user).delete()
    for request in (older, *newer):
        stage_notice(client_user, acme, request)
    stage_labels.forget()
    api.get("/api/notices/")  # the labels of both versions are read once per process
    statements: list[str] = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)
    ):
        titles = {row["subject_id"]: row["title"] for row in api.get("/api/notices/").json()["results"]}

    # then each is named by the version its request runs on
    assert RENAMED_PL in titles[newer[0]["id"]] and RENAMED_PL in titles[newer[1]["id"]]
    assert "Weryfikacja przez BOK" in titles[older["id"]]

    # and a longer page costs the same queries: the versions of its requests come in one read
    for request in [submit(api, acme_contract) for _ in range(4)]:
        stage_notice(client_user, acme, request)
    with django_assert_max_num_queries(len(statements)):
        assert len(api.get("/api/notices/").json()["results"]) >= 7


def test_a_batch_of_emails_names_each_stage_by_its_requests_version(
    api_as, analyst, client_user, acme, acme_contract, mailoutbox
):
    # given stage-change events of a request on version 1 and of one on version 2 (which renamed the task),
    # their notices and e-mails made by the worker
    api = api_as(client_user)
    older = submit(api, acme_contract)
    api_as(analyst).post("/api/workflows/versions/", {"bpmn_xml": RENAMED_XML}, format="json")
    newer = submit(api, acme_contract)
    events = [
        record_outbox_event(
            kind=OutboxEvent.Kind.REQUEST_STAGE_CHANGED,
            subject=PortalRequest.objects.get(pk=request["id"]),
            client_id=acme.pk,
            payload={"request_id": request["id"], "number": request["number"], "stage": "staff_review"},
        )
        for request in (older, newer)
    ]
    pending = create_notifications_for_events(event_ids=[event.pk for event in events])
    mailoutbox.clear()

    # when the worker sends their e-mails in one batch
    sent, failures = send_deliveries(delivery_ids=pending)

    # then each names the stage as the version its request runs on does
    assert len(sent) >= 2 and failures == []
    body = {
        number: [m.body for m in mailoutbox if number in m.subject]
        for number in (older["number"], newer["number"])
    }
    assert body[older["number"]] and all("Weryfikacja przez BOK" in text for text in body[older["number"]])
    assert body[newer["number"]] and all(RENAMED_PL in text for text in body[newer["number"]])


def test_a_label_of_a_known_version_costs_no_query(
    api_as, client_user, acme_contract, django_assert_num_queries
):
    request = PortalRequest.objects.get(pk=submit(api_as(client_user), acme_contract)["id"])
    version_id = request.process_instance.process_version_id
    stage_labels.forget()
    first = stage_label("staff_review", version_id=version_id)

    with django_assert_num_queries(0):
        assert stage_label("staff_review", version_id=version_id) == first == "Weryfikacja przez BOK"


def test_portal_stages_and_unknown_ids_are_never_raw():
    assert stage_label("") == "Złożony"
    assert stage_label("cancelled") == "Wycofany przez klienta"
    assert stage_label("Activity_0x9fq2k") == "W trakcie obsługi"


@pytest.mark.parametrize(
    "key",
    [
        "payment_date_change",
        "contract_value_change",
        "schedule_change",
        "client_data_change",
        "other_request",
    ],
)
def test_the_shipped_flows_name_each_stage_in_polish_and_english(key):
    from workflows.services import parse_for_deploy

    xml = (Path(__file__).resolve().parents[2] / "bpmn" / f"{key}.bpmn").read_text(encoding="utf-8")
    titles = parse_for_deploy(xml).stage_titles

    assert titles["staff_review"] == ("Weryfikacja przez BOK", "Review by customer service")
    assert titles["client_reply"] == ("Oczekuje na odpowiedź klienta", "Waiting for the client's reply")
    assert titles["request_approved"] == ("Zrealizowany", "Completed")
    assert titles["request_rejected"] == ("Odrzucony", "Rejected")
    assert titles["request_cancelled"] == (
        "Anulowany: brak odpowiedzi w terminie",
        "Cancelled: no reply in time",
    )
