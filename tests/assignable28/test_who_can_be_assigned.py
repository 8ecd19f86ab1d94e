"""Who a task or a message thread can be given to (session 28): the people who work requests, staff, and an
administrator or analyst only in the group "Obsługa klienta" (backend/accounts/customer_service.py). The
"Przypisz do" lists of the task and thread pages and the task list's assignee filter listed every analyst
and administrator too; the staff API gave them tasks. One rule for the pages and the API."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from backend.accounts.customer_service import CUSTOMER_SERVICE_GROUP, assignable_staff
from backend.accounts.models import User
from backend.core.exceptions import PortalValidationError
from backend.messaging.models import MessageThread
from backend.messaging.staff_writes import assign_thread
from backend.requests_app import task_hands
from backend.requests_app.models import PortalRequest
from tests.factories import UserFactory
from tests.logged_in_clients import browsing_as
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db

REFUSED = ["Wybierz osobę z Biura Obsługi Klienta."]


@pytest.fixture
def people(bok_staff):
    """The back office: staff, an analyst, an administrator, an administrator who also serves clients, and
    people who never can be given work (an inactive staff member, a client user)."""
    serving = Group.objects.get(name=CUSTOMER_SERVICE_GROUP)  # the migration's
    supervisors = Group.objects.get(name="Przełożeni")

    def user(first: str, last: str, role: str, **extra) -> User:
        return UserFactory(first_name=first, last_name=last, role=role, **extra)

    serving_admin = user("Irena", "Administratorska", User.Role.ADMIN)
    serving_admin.groups.add(serving, supervisors)
    bok_staff.groups.add(serving, supervisors)  # listed once, however many groups
    return {
        "staff": bok_staff,
        "analyst": user("Adam", "Procesowy", User.Role.ANALYST),
        "admin": user("Jan", "Administrator", User.Role.ADMIN),
        "serving_admin": serving_admin,
        "inactive": user("Ewa", "Odeszła", User.Role.STAFF, is_active=False),
        "client": user("Karol", "Klient", User.Role.CLIENT),
    }


def options(html: str, select_id: str) -> list[str]:
    """The texts of the options of the select `select_id`."""
    select = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)", select)]


def test_the_people_who_work_requests_are_staff_and_the_customer_service_group(people):
    assert list(assignable_staff()) == [people["serving_admin"], people["staff"]]  # by surname


def test_the_task_page_and_the_task_lists_filter_list_only_them(people, client_user, acme):
    request = submit_other_request(client_user, acme)
    staff = browsing_as(people["staff"])

    task_page = staff.get(f"/staff/tasks/{request.pk}/").content.decode()
    assert options(task_page, "assign-to") == [
        "Wybierz pracownika",
        "Irena Administratorska",
        "Barbara Obsługa (ja)",
    ]
    task_list = staff.get("/staff/tasks/").content.decode()
    # oneself is "Ja" at the top, not again by name (session 29: tests/notes_polish29)
    assert options(task_list, "flt-assignee")[-2:] == ["Nikt (nieprzejęte)", "Irena Administratorska"]
    assert "Jan Administrator" not in task_list and "Adam Procesowy" not in task_list


def test_the_threads_page_lists_only_them_and_a_holder_left_out_is_no_ones_pick(people, thread):
    staff = browsing_as(people["staff"])
    page = staff.get(f"/staff/messages/{thread.pk}/").content.decode()
    assert options(page, "id_assignee") == [
        "Wybierz pracownika",
        "Irena Administratorska",
        "Barbara Obsługa (ja)",
    ]

    # an administrator holds the thread (answered it while unassigned, or before this rule): the list does
    # not pick a colleague in their place
    MessageThread.objects.filter(pk=thread.pk).update(assignee=people["admin"])
    page = staff.get(f"/staff/messages/{thread.pk}/").content.decode()
    select = page.split('id="id_assignee"', 1)[1].split("</select>", 1)[0]
    assert options(page, "id_assignee")[0] == "Wybierz pracownika" and " selected" not in select


@pytest.mark.parametrize("who", ["analyst", "admin", "inactive", "client"])
def test_the_api_refuses_anyone_else_as_an_assignee_at_the_field(
    api_as, people, thread, client_user, acme, who
):
    api = api_as(people["staff"])
    request = submit_other_request(client_user, acme)

    for url in (f"/api/staff/requests/{request.pk}/assign/", f"/api/staff/messages/{thread.pk}/assign/"):
        refused = api.post(url, {"assignee_id": people[who].pk}, format="json")
        assert refused.status_code == 400, (url, refused.json())
        assert refused.json()["fields"]["assignee_id"] == REFUSED, url
    assert PortalRequest.objects.get(pk=request.pk).assignee_id is None
    thread.refresh_from_db()
    assert thread.assignee_id is None


def test_the_api_gives_work_to_an_administrator_of_the_customer_service_group(
    api_as, people, thread, client_user, acme
):
    api = api_as(people["staff"])
    request = submit_other_request(client_user, acme)
    serving_admin = people["serving_admin"]

    given = api.post(
        f"/api/staff/requests/{request.pk}/assign/", {"assignee_id": serving_admin.pk}, format="json"
    )
    assert given.status_code == 200, given.json()
    given = api.post(
        f"/api/staff/messages/{thread.pk}/assign/", {"assignee_id": serving_admin.pk}, format="json"
    )
    assert given.status_code == 200, given.json()
    assert PortalRequest.objects.get(pk=request.pk).assignee_id == serving_admin.pk


@pytest.mark.parametrize("who", ["analyst", "admin", "inactive", "client"])
def test_the_services_refuse_them_too_whoever_calls(people, thread, client_user, acme, who):
    """The rule is the services' (task_hands.assign_request, messaging.staff_writes.assign_thread), not only
    the inputs': a caller without the API's or the page's serializer gives no work to anyone else either."""
    request = submit_other_request(client_user, acme)

    with pytest.raises(PortalValidationError) as task_refusal:
        task_hands.assign_request(staff=people["staff"], portal_request=request, assignee=people[who])
    with pytest.raises(PortalValidationError) as thread_refusal:
        assign_thread(user=people["staff"], thread=thread, assignee=people[who])

    assert task_refusal.value.fields == {"assignee_id": REFUSED}
    assert thread_refusal.value.fields == {"assignee_id": REFUSED}
    assert PortalRequest.objects.get(pk=request.pk).assignee_id is None
    thread.refresh_from_db()
    assert thread.assignee_id is None
    given = task_hands.assign_request(
        staff=people["staff"], portal_request=request, assignee=people["serving_admin"]
    )
    assert given.assignee_id == people["serving_admin"].pk
