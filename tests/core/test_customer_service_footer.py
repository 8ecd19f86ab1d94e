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


# The standalone pages rendered without the request (the database may be what failed): the footer still
# names customer service, from the settings alone.


@pytest.fixture
def configured_service(settings):
    settings.CUSTOMER_SERVICE_PHONE = "22 555 01 02"
    settings.CUSTOMER_SERVICE_EMAIL = "pomoc@leasing.example"


def test_the_outage_page_names_customer_service(client, configured_service):
    import time

    from backend.core import db_circuit

    db_circuit._open_until = time.monotonic() + 30  # the database just refused: 503 without touching it
    try:
        response = client.get("/invoices/")
    finally:
        db_circuit.reset()

    page = response.content.decode()
    assert response.status_code == 503
    assert '<a href="tel:+48225550102">22 555 01 02</a>' in page
    assert '<a href="mailto:pomoc@leasing.example">pomoc@leasing.example</a>' in page


def test_the_server_error_page_names_customer_service(rf, configured_service):
    from backend.core.outage import server_error

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/invoices/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert '<a href="tel:+48225550102">22 555 01 02</a>' in page
    assert '<a href="mailto:pomoc@leasing.example">pomoc@leasing.example</a>' in page
