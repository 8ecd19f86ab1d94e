"""The Polish admin names the portal's records in Polish: the authenticator apps and recovery codes of
django-otp, the fields of incidents and process instances; the dashboard's e-mail tile means the same in
both languages and the user count says what it counts."""

from __future__ import annotations

import html

import pytest
from django.test import Client as PageClient
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflows.models import Incident

pytestmark = pytest.mark.django_db


def page(browser: PageClient, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def test_device_lists_and_incidents_are_labelled_in_polish(browser, client_user):
    incident = Incident.objects.create(action="timer", error_class="RuntimeError", message="boom")
    TOTPDevice.objects.create(user=client_user, name="Telefon", confirmed=True)

    index = page(browser, "/admin/")
    devices = page(browser, "/admin/otp_totp/totpdevice/")
    detail = page(browser, f"/admin/workflows/incident/{incident.pk}/change/")

    assert "Aplikacje uwierzytelniające" in index and "Zestawy kodów zapasowych" in index
    assert "TOTP devices" not in index and "Static devices" not in index
    assert "Ostatnio użyte" in devices and "Last used at" not in devices
    for polish in ("Wersja procesu", "Wiadomość", "Pierwszy błąd", "Następna próba", "Notatka z rozwiązania"):
        assert polish in detail, polish
    for english in ("Process version", "First failed at", "Next retry at", "Resolution note", "Reason id"):
        assert english not in detail, english


def test_the_dashboard_tiles_say_what_they_count(browser):
    polish = page(browser, "/staff/")

    assert "Nieudane wysyłki e-maili" in polish and "Niewysłane e-maile" not in polish
    assert "Konta według roli" in polish and "Aktywni użytkownicy" not in polish
