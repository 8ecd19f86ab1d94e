"""An invoice line's description names its contract ("Rata leasingowa nr 13/36 – umowa UL/2025/01000014"): on
a phone's card it broke inside the number ("UL/2025/01000 | 014"); it may now break only after a "/"."""

from __future__ import annotations

import pytest

from backend.invoices.models import InvoiceLine
from tests.factories import InvoiceFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def test_a_number_in_a_line_description_breaks_only_after_a_slash(client, client_user, acme):
    invoice = InvoiceFactory(client=acme)
    InvoiceLine.objects.filter(invoice=invoice).update(
        description="Rata leasingowa nr 13/36 – umowa UL/2025/01000014"
    )

    html = logged_in(client, client_user).get(f"/invoices/{invoice.pk}/").content.decode()

    assert "umowa UL/<wbr>2025/<wbr>01000014" in html
