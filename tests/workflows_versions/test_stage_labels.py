"""Stage labels are the deployed BPMN's element names: an analyst's rename shows after deploy.

The label of a request's stage comes from the version the request runs on (Polish `name`, English
`titleEn`), on the client's and staff's pages, in the API, in notices and e-mails; a label of a known
version costs no query.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.requests_app.catalogue import stage_choices, stage_label
from backend.requests_app.models import PortalRequest
from notifications.texts import stage_label as notice_stage_label
from tests.client_correctness.helpers import logged_in, visible_text
from tests.requests_app.helpers import submission
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
