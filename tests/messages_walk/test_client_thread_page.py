"""The client's thread page: the final answer box only while it closes the thread, staff shown the one way
everywhere ("Biuro Obsługi Klienta", page and API alike), and a comment sent after the active company
changed in another tab."""

from __future__ import annotations

import pytest

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from backend.drafts.models import Draft
from backend.messaging.client_writes import add_client_comment
from backend.messaging.models import Message
from backend.messaging.staff_writes import reply_as_staff, set_final_answer
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beata(db):
    from backend.accounts.models import User

    # a staff member whose name and e-mail the client must not read
    return UserFactory(email="beata.obslugowa@leasing.example", first_name="Beata", last_name="Obsługowa",
                       role=User.Role.STAFF)  # fmt: skip


def test_the_final_answer_box_goes_once_a_comment_reopens_the_thread(client, client_user, beata, thread):
    set_final_answer(user=beata, thread=thread, body="Adres poprawiony.")
    client.force_login(client_user)
    closed = client.get(f"/messages/{thread.pk}/").content.decode()
    assert 'data-testid="final-answer"' in closed

    add_client_comment(user=client_user, thread=thread, body="A jednak adres jest zły.")
    reopened = client.get(f"/messages/{thread.pk}/").content.decode()
    assert 'data-testid="final-answer"' not in reopened
    # the earlier final answer stays in the history, marked as such
    assert "Adres poprawiony." in reopened and "badge-final" in reopened


def test_staff_appear_to_the_client_as_customer_service_on_the_page_and_in_the_api(
    client, api_as, client_user, beata, thread
):
    reply_as_staff(user=beata, thread=thread, body="Sprawdzamy.")
    set_final_answer(user=beata, thread=thread, body="Gotowe.")
    client.force_login(client_user)
    html = client.get(f"/messages/{thread.pk}/").content.decode()
    assert "Beata" not in html and "beata.obslugowa" not in html
    assert "Biuro Obsługi Klienta" in html

    messages = api_as(client_user).get(f"/api/messages/{thread.pk}/").json()["messages"]
    staff_names = {m["author_name"] for m in messages if m["is_from_staff"]}
    assert staff_names == {"Biuro Obsługi Klienta"}
    assert [m["author_name"] for m in messages if not m["is_from_staff"]] == ["Anna Kowalska"]
    # staff keep reading who wrote what
    staff_view = api_as(beata).get(f"/api/staff/messages/{thread.pk}/").json()["messages"]
    assert {m["author_name"] for m in staff_view if m["is_from_staff"]} == {"Beata Obsługowa"}


def test_staff_without_a_name_are_not_shown_by_e_mail_either(api_as, client_user, thread):
    from backend.accounts.models import User

    nameless = UserFactory(
        email="bez.nazwy@leasing.example", first_name="", last_name="", role=User.Role.STAFF
    )
    reply_as_staff(user=nameless, thread=thread, body="Odpowiedź.")
    body = api_as(client_user).get(f"/api/messages/{thread.pk}/").content.decode()
    assert "bez.nazwy" not in body


@pytest.fixture
def partner(client_user, other_company):
    """Anna also acts for another company."""
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    return client_user


def act_for(client, company) -> None:
    session = client.session
    session[ACTIVE_CLIENT_SESSION_KEY] = company.pk
    session.save()


def test_a_comment_sent_after_switching_company_in_another_tab_says_so_and_keeps_the_text(
    client, partner, acme, other_company, thread
):
    # given: the comment form of ACME's thread is open (it says which company it was shown for)
    client.force_login(partner)
    act_for(client, acme)
    page = client.get(f"/messages/{thread.pk}/?comment=1").content.decode()
    assert f'name="acting_for" value="{acme.pk}"' in page
    # and another tab switches to the other company
    act_for(client, other_company)

    # when: the comment is sent
    response = client.post(
        f"/messages/{thread.pk}/comment/", {"body": "Proszę o pilną korektę.", "acting_for": acme.pk}
    )

    # then: a page that names both companies, shows the text and offers the way back
    assert response.status_code == 409
    html = response.content.decode()
    assert "ACME Logistyka sp. z o.o." in html and "Inna Firma S.A." in html
    assert "Proszę o pilną korektę.</textarea>" in html
    assert f'name="client_id" value="{acme.pk}"' in html
    assert f"/messages/{thread.pk}/?comment=1" in html
    # nothing was sent, and the text waits as ACME's draft of this thread's comment
    assert not Message.objects.filter(body="Proszę o pilną korektę.").exists()
    draft = Draft.objects.get(user=partner, client=acme, form_key=f"message:reply:{thread.pk}")
    assert draft.data == {"body": "Proszę o pilną korektę."}


def test_a_new_message_sent_after_switching_company_is_not_sent_to_the_other_one(
    client, partner, acme, other_company
):
    client.force_login(partner)
    act_for(client, other_company)
    response = client.post(
        "/messages/new/",
        {"subject": "Pytanie", "category": "other", "body": "Treść dla ACME", "acting_for": acme.pk},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "ACME Logistyka sp. z o.o." in html and "Treść dla ACME" in html
    assert not Message.objects.exists()
