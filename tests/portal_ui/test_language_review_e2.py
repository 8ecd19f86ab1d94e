"""The rest of the outside language review: a client's own request addressed to the client, one name of
the customer service department on the client's pages and e-mails, the staff pages' plain wording."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from backend.accounts.models import User
from backend.requests_app import services
from backend.requests_app.models import PortalRequest
from tests.factories import ContractFactory, UserFactory
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_buyout_pages import request_form
from tests.portal_ui.test_request_pages import submit_payment_day_change

pytestmark = pytest.mark.django_db


def page(client, url: str, lang: str, user) -> str:
    user.language = lang  # a logged-in user's saved language wins over the cookie
    user.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url).content.decode()


def status_badges(html: str) -> list[str]:
    return re.findall(r'<span class="badge badge-status-waiting_for_client">([^<]*)</span>', html)


@pytest.fixture
def waiting_request(client, client_user, acme, bok_staff) -> PortalRequest:
    contract = ContractFactory(client=acme, payment_day=15)
    assert submit_payment_day_change(logged_in(client, client_user), contract).status_code == 302
    portal_request = PortalRequest.objects.get()
    services.complete_staff_task(
        staff=bok_staff, portal_request=portal_request, data={"decision": "ask_client", "question": "KRS?"}
    )
    return portal_request


@pytest.mark.parametrize(
    ("lang", "yours", "third_person"),
    [
        ("pl", "Czeka na Twoją odpowiedź", "Oczekuje na odpowiedź klienta"),
        ("en", "Waiting for your reply", "Waiting for the client&#x27;s reply"),
    ],
)
def test_a_client_reads_its_own_requests_status_addressed_to_it(
    client, client_user, bok_staff, waiting_request, lang, yours, third_person
):
    # when: the client opens its list and the request's page
    listing = page(client, "/requests/", lang, client_user)
    detail = page(client, f"/requests/{waiting_request.pk}/", lang, client_user)
    # then: the status speaks to the client, in the list, on the page and in the history
    assert status_badges(listing) == [yours]
    assert status_badges(detail) == [yours]
    history = detail[detail.index('id="request-history"') :]
    assert f"status: {yours}" in history and f"status: {third_person}" not in history
    # and staff keep the third person on the task page
    staff = Client()
    staff.force_login(bok_staff)
    assert status_badges(page(staff, f"/staff/tasks/{waiting_request.pk}/", lang, bok_staff)) == [
        third_person
    ]


@pytest.mark.parametrize(
    ("url", "polish"),
    [
        ("/help/", "Kontakt z Biurem Obsługi Klienta"),
        ("/messages/", "Napisz do Biura Obsługi Klienta"),
        (
            "/requests/new/vehicle_abroad_permit/",
            "W przeciwnym razie decyzję podejmuje Biuro Obsługi Klienta.",
        ),
    ],
)
def test_client_pages_name_customer_service_one_way(client, client_user, acme, url, polish):
    # when
    client.force_login(client_user)
    html = page(client, url, "pl", client_user)
    # then: "Biuro Obsługi Klienta", never the staff's abbreviation
    assert polish in html
    assert not re.search(r"\bBOK\b", html)
    assert "customer service" in page(client, url, "en", client_user).lower()


def test_staff_pages_speak_plain_professional_polish(client, bok_staff, waiting_request):
    # given
    client.force_login(bok_staff)
    # when
    dashboard = page(client, "/staff/", "pl", bok_staff)
    waiting = page(client, "/staff/tasks/?scope=client", "pl", bok_staff)
    notices = page(client, "/notices/", "pl", bok_staff)
    # then
    assert "Kto teraz działa" in dashboard and "Czeka na pracowników" in dashboard
    assert "piłka" not in dashboard.lower() and "(pracowników)" not in dashboard
    assert "Zadaliśmy klientowi pytanie i czekamy na jego odpowiedź." in waiting and "Piłka" not in waiting
    # staff's notices are about the requests and threads they work on, not "your requests"
    assert "w sprawie wniosków i wątków wiadomości, którymi się zajmujesz" in notices
    assert "o Twoich wnioskach" not in notices
    assert "the requests and message threads you work on" in page(client, "/notices/", "en", bok_staff)


def test_a_clients_notices_still_speak_of_its_own_requests(client, client_user):
    client.force_login(client_user)
    assert "o Twoich wnioskach i wiadomościach" in page(client, "/notices/", "pl", client_user)


def test_the_admin_dashboard_names_the_background_process_in_polish(client, settings):
    # given: a worker, not the tests' eager tasks, runs the background jobs
    settings.CELERY_TASK_ALWAYS_EAGER = False
    admin = UserFactory(role=User.Role.ADMIN, is_staff=True)
    client.force_login(admin)
    # when
    html = page(client, "/staff/", "pl", admin)
    # then
    tile = html[html.index('data-testid="op-worker"') :][:600]
    assert "Proces zadań w tle" in tile and "Worker" not in tile


def test_the_calendar_page_names_the_calendars_one_way(client, client_user):
    # given
    client.force_login(client_user)
    # when
    account = page(client, "/account/", "pl", client_user)
    calendar = page(client, "/account/calendar/", "pl", client_user)
    # then
    assert "Dodaj swoje terminy do kalendarza" in account and "Twoje terminy w Twoim" not in account
    assert "w Google Calendar, Outlooku lub Apple Calendar" in calendar
    assert "Kalendarzu Google" not in calendar and "Kalendarzu Apple" not in calendar


def test_a_counter_offer_reads_in_the_readers_language(client, client_user, bok_staff, acme_contract):
    # given: a buyout request, countered by a staff member whose portal is in English
    web = logged_in(client, client_user)
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    created = web.post(f"/contracts/{acme_contract.pk}/buyout/", {"effective_date": effective})
    web.post(created["Location"], request_form())
    portal_request = PortalRequest.objects.get()
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])
    staff = logged_in(Client(), bok_staff)
    staff.post(f"/staff/tasks/{portal_request.pk}/buyout-counter/", {"total": "45 000,00", "reason": "Rabat"})
    # when: the client reads the question, in Polish and in English
    polish = page(client, f"/requests/{portal_request.pk}/", "pl", client_user)
    english = page(client, f"/requests/{portal_request.pk}/", "en", client_user)
    # then: each in its own words and money format, the question and the history alike
    assert "Pytanie od leasingodawcy:</span> Kontroferta: 45\u00a0000,00\u00a0zł. Rabat" in polish
    assert "Question from the lessor:</span> Counter-offer: 45,000.00\u00a0PLN. Rabat" in english
    assert "Kontroferta" not in english and "Counter-offer:" not in polish
