"""Every page's footer names customer service from the settings the e-mails use (one number everywhere)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_footer_follows_the_configured_number_and_address(client, settings):
    settings.CUSTOMER_SERVICE_PHONE = "22 555 01 02"
    settings.CUSTOMER_SERVICE_EMAIL = "pomoc@leasing.example"

    page = client.get("/login/").content.decode()

    assert '<a href="tel:+48225550102">22 555 01 02</a>' in page
    assert '<a href="mailto:pomoc@leasing.example">pomoc@leasing.example</a>' in page
    assert "800 123 456" not in page


def test_an_international_number_is_dialled_as_given(client, settings):
    settings.CUSTOMER_SERVICE_PHONE = "+420 800 111 222"

    page = client.get("/login/").content.decode()

    assert '<a href="tel:+420800111222">+420 800 111 222</a>' in page
