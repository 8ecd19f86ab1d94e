"""#3 and #7: subjects are plain text (no "&amp;"), and say what happened: the decision, the stage, the
contract; a contact person named on a colleague's request is told so."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.messaging.client_writes import start_thread
from backend.requests_app.models import PortalRequest
from notifications import services
from tests.emails17.conftest import html_of, mails_to
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPANY = 'Pawłowski & Syn "Serwis" sp.j.'


def test_subjects_name_the_company_without_html_escaping(
    acme, client_user, second_staff, api_as, django_capture_on_commit_callbacks
):
    # given: a company with & and " in its name, its administrator, a staff member who wants client messages
    acme.name = COMPANY
    acme.save(update_fields=["name"])
    admin = UserFactory(email="admin@acme.pl")
    MembershipFactory(user=admin, client=acme, is_admin=True)
    services.set_notification_preferences(user=second_staff, email_new_message=True)

    # when: a client message and an invitation
    with django_capture_on_commit_callbacks(execute=True):
        start_thread(
            user=client_user,
            client=acme,
            subject="Polisa",
            category="insurance",
            body="Pytanie",
            contract=None,
        )
    body = {
        "email": "nowa.osoba@acme.pl",
        "first_name": "Nowa",
        "last_name": "Osoba",
        "role": "fleet_manager",
        "contract_ids": [],
        "all_contracts": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert api_as(admin).post("/api/client/users/", body, format="json").status_code == 201

    # then
    (staff_mail,) = mails_to(second_staff.email)
    assert staff_mail.subject == f"Nowa wiadomość od {COMPANY}"
    (invitation,) = mails_to("nowa.osoba@acme.pl")
    assert COMPANY in invitation.subject
    assert "&amp;" not in invitation.subject and "&quot;" not in invitation.subject


def test_decision_and_stage_subjects_say_what_happened_and_name_the_contract(
    flow, client_user, acme_contract
):
    # when
    request_id = flow.submit(contact_email=client_user.email)
    flow.ask(request_id)
    flow.reply(request_id)
    mail.outbox.clear()
    flow.approve(request_id)

    # then
    number = PortalRequest.objects.get(pk=request_id).number
    (decided,) = mails_to(client_user.email)
    assert decided.subject == f"Wniosek {number} (umowa {acme_contract.number}): zatwierdzony"


def test_a_contact_person_named_on_a_colleagues_request_is_told_so(
    flow, client_user, contact_user, acme_contract
):
    # when: Anna submits naming Marek as the contact person
    request_id = flow.submit(contact_email=contact_user.email)

    # then: Marek's first e-mail names the stage in its subject and says whose request it is
    number = PortalRequest.objects.get(pk=request_id).number
    (first,) = mails_to(contact_user.email)
    assert first.subject.startswith(f"Wniosek {number} (umowa {acme_contract.number}): nowy etap: ")
    assert first.subject != f"Wniosek {number} (umowa {acme_contract.number}): nowy etap: "
    said = "Wskazano Cię jako osobę kontaktową we wniosku"
    assert f"{said} {number}, złożonym przez: Anna Kowalska" in first.body
    assert f"{said} {number}, złożonym przez: Anna Kowalska" in html_of(first)
    assert "Twój wniosek" not in first.body
