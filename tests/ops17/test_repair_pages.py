"""The repair console as an analyst meets it: a suspension needs a reason and a confirmation, is listed on
/ops/ with who, when and why (and resumed from there), is said on the staff task page instead of decision
forms, and in the request's history; a refused "Popraw dane zadania" keeps what was typed and names the key."""

from __future__ import annotations

import pytest

from backend.requests_app.models import RequestEvent
from tests.portal_ui.test_flow_migration import submit_request
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db

REASON = "Czekamy na wyjaśnienie z działem prawnym"


@pytest.fixture
def waiting(client_user, acme):
    return submit_request(client_user, acme)


def test_a_suspension_without_a_reason_or_confirmation_is_refused_keeping_what_was_typed(
    client, analyst, waiting
):
    client.force_login(analyst)
    url = f"/ops/instances/{waiting.process_instance_id}/suspend/"

    short = client.post(url, {"note": "bo tak", "confirmed": "yes"})
    unconfirmed = client.post(url, {"note": REASON})

    assert short.status_code == 400 and "co najmniej 10 znaków" in short.content.decode()
    assert ">bo tak</textarea>" in short.content.decode()
    assert unconfirmed.status_code == 400 and REASON in unconfirmed.content.decode()
    assert "Potwierdź" in unconfirmed.content.decode()
    assert not ProcessInstance.objects.get(pk=waiting.process_instance_id).suspended


def test_the_api_refuses_a_suspension_without_a_reason(api_as, analyst, waiting):
    response = api_as(analyst).post(
        f"/api/ops/instances/{waiting.process_instance_id}/suspend/", {}, format="json"
    )
    assert response.status_code == 400 and "note" in response.json()["fields"]


def test_a_suspended_instance_is_listed_said_on_the_task_page_and_in_the_history(
    client, analyst, bok_staff, waiting
):
    # given
    client.force_login(analyst)
    done = client.post(
        f"/ops/instances/{waiting.process_instance_id}/suspend/", {"note": REASON, "confirmed": "yes"}
    )
    assert done.status_code == 302

    # then the console lists it with who and why, and a resume form
    console = client.get("/ops/").content.decode()
    listed = console[console.index('data-testid="ops-suspended"') :]
    listed = listed[: listed.index("</section>")]
    assert waiting.number in listed and REASON in listed and analyst.get_full_name() in listed
    assert f"/ops/instances/{waiting.process_instance_id}/resume/" in listed

    # and staff see that it is suspended, by whom and why, and no decision forms
    client.force_login(bok_staff)
    task_page = client.get(f"/staff/tasks/{waiting.pk}/").content.decode()
    assert (
        'id="request-suspended"' in task_page and REASON in task_page and analyst.get_full_name() in task_page
    )
    assert 'id="form-approve"' not in task_page and 'id="form-reject"' not in task_page
    # and the history says what was done
    assert "Proces wstrzymany przez administratora" in task_page

    # when resumed from the console
    client.force_login(analyst)
    client.post(f"/ops/instances/{waiting.process_instance_id}/resume/", {"note": "Wyjaśnione"})

    # then it leaves the list, staff may decide again, and the history says so
    console = client.get("/ops/").content.decode()
    assert f'data-testid="suspended-{waiting.process_instance_id}"' not in console
    client.force_login(bok_staff)
    task_page = client.get(f"/staff/tasks/{waiting.pk}/").content.decode()
    assert 'id="request-suspended"' not in task_page and 'id="form-approve"' in task_page
    assert "Proces wznowiony przez administratora" in task_page
    assert RequestEvent.objects.filter(request=waiting, kind="repaired").count() == 2


def test_refused_task_data_keeps_the_typed_json_and_note_and_names_the_key(client, analyst, waiting):
    client.force_login(analyst)
    url = f"/ops/instances/{waiting.process_instance_id}/edit-data/"

    invalid_value = client.post(url, {"data": '{"decision": "maybe"}', "note": "Poprawka klienta"})
    not_json = client.post(url, {"data": '{"decision": ', "note": "Druga próba"})

    page = invalid_value.content.decode()
    assert invalid_value.status_code == 400
    errors = page[page.index('id="err-edit-data"') :][:400]
    assert "decision:" in errors
    assert "{&quot;decision&quot;: &quot;maybe&quot;}</textarea>" in page
    assert 'value="Poprawka klienta"' in page
    page = not_json.content.decode()
    assert not_json.status_code == 400 and "Wpisz dane jako obiekt JSON" in page
    assert "{&quot;decision&quot;: </textarea>" in page and 'value="Druga próba"' in page
