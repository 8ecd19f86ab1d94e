"""The Django admin in the Polish interface: the portal's app sections, model names, the header and the user
form's fieldsets are Polish, not Django's defaults derived from the English class and app names."""

import html

import pytest

from backend.accounts.models import User
from backend.clients.models import ClientMembership
from tests.factories import UserFactory

# What the admin showed before: app labels and class names turned into English titles.
ENGLISH_ON_THE_INDEX = [
    "Administracja Django",
    "Django administration",
    "Accounts",
    "Clients",
    "Contracts",
    ">Core<",
    "Requests_App",
    "Workflows",
    "Invoices",
    "Messaging",
    "Documents",
    "Notifications",
    "Bank single sign-on",
    "Permits to take a vehicle abroad",
    "Axes",
    "Otp_Totp",
    "Otp_Static",
    "Outbox events",
    "Audit logs",
    "Serial numbers",
    "Schedule rows",
    "Payments",
    "Compensations",
    "Invoice duplicates",
    "Invoice lines",
    "Request attachments",
    "Digest deliverys",
    "Used assertions",
    "Access failures",
]

POLISH_ON_THE_INDEX = [
    "Portal Klienta — administracja",
    "Konta użytkowników",
    "Klienci",
    "Umowy",
    "System",
    "Wnioski",
    "Procesy",
    "Faktury",
    "Wiadomości",
    "Dokumenty",
    "Powiadomienia",
    "Logowanie przez bank (SSO)",
    "Zgody na wyjazd pojazdem za granicę",
    "Blokady logowania",
    "Aplikacje uwierzytelniające (TOTP)",
    "Kody zapasowe",
    "Zdarzenia systemowe",
    "Dziennik audytu",
    "Numery seryjne",
    "Raty harmonogramu",
    "Wpłaty",
    "Kompensaty",
    "Duplikaty faktur",
    "Pozycje faktur",
    "Załączniki wniosków",
    "Wysyłki dziennych podsumowań",
    "Wykorzystane asercje banku",
    "Nieudane logowania",
]


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(
        email="admin@leasing.example",
        role=User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        language="pl",
    )
    client.force_login(admin)
    return client


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "pl"
    return html.unescape(response.content.decode())


def test_admin_index_names_the_portal_apps_and_models_in_polish(admin_client):
    # when
    page = _page(admin_client, "/admin/")

    # then
    assert [text for text in POLISH_ON_THE_INDEX if text not in page] == []
    assert [text for text in ENGLISH_ON_THE_INDEX if text in page] == []


def test_admin_user_page_has_polish_fieldsets_and_membership_columns(admin_client, acme):
    # given
    user = UserFactory(email="jan@firma.example")
    ClientMembership.objects.create(user=user, client=acme, is_default=True)

    # when
    page = _page(admin_client, f"/admin/accounts/user/{user.pk}/change/")

    # then
    for polish in ["Dane osobowe", "Dostęp", "Ważne daty", "Klient domyślny", "Przypisania do klientów"]:
        assert polish in page
    for english in [">Personal<", ">Access<", ">Dates<", "Is default", "Client memberships"]:
        assert english not in page


def test_admin_client_page_has_polish_fieldsets(admin_client, acme):
    # when
    page = _page(admin_client, f"/admin/clients/client/{acme.pk}/change/")

    # then
    for polish in ["Adres siedziby", "Adres korespondencyjny", "Kontakt"]:
        assert polish in page
    for english in ["Registered office", "Correspondence address", ">Contact<"]:
        assert english not in page
