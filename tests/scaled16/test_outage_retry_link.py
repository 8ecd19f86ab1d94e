"""The outage page after a form was sent: its button goes back to the page the form was on ("Wróć do
formularza"), never a GET of an address that only takes a form; after a GET it reloads the address."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db

FORM_PAGE = "/requests/new/?type=payment_day_change"
POST_ONLY = "/messages/new/send/"


def button(response) -> tuple[str, str]:
    assert response.status_code == 503
    html = response.content.decode()
    href, label = re.search(r'<a class="button" href="([^"]*)">([^<]*)</a>', html).groups()
    return href, label


def send_while_down(browser: Client, method: str, path: str, **headers):
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("database is locked")):
        return getattr(browser, method)(path, headers=headers)


def test_after_a_failed_post_the_button_goes_back_to_the_form_page(client_user):
    browser = Client(raise_request_exception=False)
    browser.force_login(client_user)

    response = send_while_down(browser, "post", POST_ONLY, Referer=f"http://testserver{FORM_PAGE}")

    assert button(response) == (FORM_PAGE.replace("&", "&amp;"), "Wróć do formularza")


def test_a_referer_of_another_site_is_not_followed(client_user):
    browser = Client(raise_request_exception=False)
    browser.force_login(client_user)

    foreign = send_while_down(browser, "post", POST_ONLY, Referer="https://evil.example/requests/new/")
    without = send_while_down(browser, "post", POST_ONLY)

    assert button(foreign) == ("/", "Wróć do ekranu głównego")
    assert button(without) == ("/", "Wróć do ekranu głównego")


def test_after_a_failed_get_the_button_reloads_the_address(client_user):
    browser = Client(raise_request_exception=False)
    browser.force_login(client_user)

    response = send_while_down(browser, "get", "/invoices/", Referer="http://testserver/")

    assert button(response) == ("", "Spróbuj ponownie")
