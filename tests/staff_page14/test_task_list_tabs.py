"""The task list as customer service on the phone uses it: a search finds a request in every list (the closed
one too), the tiles keep the search and count what it finds, the way back from a closed request leads to
it, "next task" offers only a task waiting for staff (pages through Django's client, and the staff API)."""

from __future__ import annotations

import re

import pytest

from backend.requests_app import decisions, services
from tests.factories import MembershipFactory, UserFactory
from tests.logged_in_clients import browsing_as
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def listed_ids(html: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r'<th scope="row" data-label="[^"]*"><a href="/staff/tasks/(\d+)/"', html)
    ]


def tile(html: str, key: str) -> tuple[str, int]:
    """The tile's link and its number."""
    match = re.search(
        rf'href="([^"]*)" data-testid="scope-{key}"[^>]*><span class="queue-count">(\d+)<', html
    )
    assert match, key
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


def ask(staff, portal_request) -> None:
    decisions.decide_request(
        actor=staff, request_id=portal_request.pk, decision="ask_client", question="Proszę o skan."
    )


def test_a_rejected_request_is_found_on_the_closed_list_by_number_nip_contract_and_client_name(
    api_as, bok_staff, client_user, acme, acme_contract
):
    # given: a request on a contract, rejected, and another one still waiting
    rejected, _created = services.submit_request(
        user=client_user,
        client=acme,
        kind="other_request",
        contract=acme_contract,
        contact={"name": "Anna Kowalska", "phone": "+48 601 234 567", "email": client_user.email},
        declarations=[],
        data={"subject": "Polisa", "message": "Treść"},
        attachment_ids=[],
    )
    waiting = submit_other_request(client_user, acme, "Faktura")
    decisions.decide_request(
        actor=bok_staff, request_id=rejected.pk, decision="reject", reason="Brak podstaw."
    )
    staff = browsing_as(bok_staff)

    # when / then: every search finds it on the closed list, with its status; none of the open lists has it
    for text in (rejected.number, acme.nip, acme_contract.number, "acme logistyka"):
        html = staff.get("/staff/tasks/", {"scope": "closed", "q": text}).content.decode()
        assert listed_ids(html) == [rejected.pk], text
        assert 'data-testid="closed-status">Odrzucony<' in html
        assert tile(html, "closed")[1] == 1
    assert rejected.pk not in listed_ids(staff.get("/staff/tasks/", {"scope": "open"}).content.decode())
    assert waiting.pk not in listed_ids(staff.get("/staff/tasks/", {"scope": "closed"}).content.decode())
    # the API's list too
    rows = api_as(bok_staff).get("/api/staff/tasks/", {"scope": "closed", "q": acme.nip}).json()["results"]
    assert [row["id"] for row in rows] == [rejected.pk]


def test_the_closed_list_shows_the_newest_closed_first(bok_staff, client_user, acme):
    first, second = submit_other_request(client_user, acme, "A"), submit_other_request(client_user, acme, "B")
    decisions.decide_request(actor=bok_staff, request_id=second.pk, decision="reject", reason="Nie.")
    decisions.decide_request(actor=bok_staff, request_id=first.pk, decision="approve", answer="Tak.")

    html = browsing_as(bok_staff).get("/staff/tasks/?scope=closed").content.decode()

    assert listed_ids(html) == [first.pk, second.pk]


def test_the_tiles_keep_the_search_and_count_what_it_finds_in_each_list(
    bok_staff, client_user, acme, other_company
):
    # given: three requests of ACME waiting for staff, two waiting for the client, one of another company
    staff_side = [submit_other_request(client_user, acme, f"Sprawa {n}") for n in range(3)]
    client_side = [submit_other_request(client_user, acme, f"Pytanie {n}") for n in range(2)]
    for portal_request in client_side:
        ask(bok_staff, portal_request)
    other_user = UserFactory()
    MembershipFactory(user=other_user, client=other_company)
    submit_other_request(other_user, other_company, "Obca")
    staff = browsing_as(bok_staff)

    # when: the NIP is searched on the default list
    html = staff.get("/staff/tasks/", {"q": acme.nip}).content.decode()

    # then: each tile counts the matches and keeps the search
    assert sorted(listed_ids(html)) == sorted(r.pk for r in staff_side)
    assert tile(html, "staff") == (f"/staff/tasks/?q={acme.nip}", 3)
    assert tile(html, "client") == (f"/staff/tasks/?scope=client&q={acme.nip}", 2)
    assert tile(html, "open") == (f"/staff/tasks/?scope=open&q={acme.nip}", 5)
    assert tile(html, "closed") == (f"/staff/tasks/?scope=closed&q={acme.nip}", 0)
    assert 'data-testid="scope-counts-filtered"' in html
    # and the client's list opened from its tile shows the two
    opened = staff.get(tile(html, "client")[0]).content.decode()
    assert sorted(listed_ids(opened)) == sorted(r.pk for r in client_side)
    assert f'value="{acme.nip}"' in opened


def test_the_search_finds_the_submitting_users_name(api_as, bok_staff, acme):
    katarzyna = UserFactory(first_name="Katarzyna", last_name="Demo")
    MembershipFactory(user=katarzyna, client=acme)
    hers = submit_other_request(katarzyna, acme, "Zmiana adresu")

    rows = api_as(bok_staff).get("/api/staff/tasks/", {"q": "Katarzyna Demo"}).json()["results"]
    html = browsing_as(bok_staff).get("/staff/tasks/", {"q": "katarzyna"}).content.decode()

    assert [row["id"] for row in rows] == [hers.pk]
    assert listed_ids(html) == [hers.pk]


def test_a_closed_request_opened_by_its_address_leads_back_to_the_closed_list_with_the_search(
    bok_staff, client_user, acme
):
    # given: a rejected request; staff searched its NIP on the default list and found nothing
    rejected = submit_other_request(client_user, acme, "A")
    decisions.decide_request(actor=bok_staff, request_id=rejected.pk, decision="reject", reason="Nie.")
    staff = browsing_as(bok_staff)
    staff.get("/staff/tasks/", {"q": acme.nip})

    # when: they open it by its address
    html = staff.get(f"/staff/tasks/{rejected.pk}/").content.decode()

    # then: "Zadania" leads to the closed list with the search, which shows it
    back = re.search(r'<a href="([^"]*)" id="back-to-tasks">', html).group(1).replace("&amp;", "&")
    assert back == f"/staff/tasks/?scope=closed&q={acme.nip}"
    assert listed_ids(staff.get(back).content.decode()) == [rejected.pk]


def test_next_task_after_asking_the_client_is_one_waiting_for_staff(bok_staff, client_user, acme):
    # given: on the list of all open requests, the second one waits for the client
    first, waits, third = (submit_other_request(client_user, acme, s) for s in ("A", "B", "C"))
    ask(bok_staff, waits)
    staff = browsing_as(bok_staff)
    assert listed_ids(staff.get("/staff/tasks/?scope=open&sort=number").content.decode()) == [
        first.pk,
        waits.pk,
        third.pk,
    ]

    # when: staff ask the client about the first
    html = staff.post(f"/staff/tasks/{first.pk}/ask/", {"question": "Proszę o skan."}, follow=True)

    # then: the next task is the third, not the one waiting for the client
    assert re.search(r'id="next-task" href="/staff/tasks/(\d+)/"', html.content.decode()).group(1) == str(
        third.pk
    )
