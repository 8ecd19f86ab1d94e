"""An invoice's PDF is laid out once per content: a second download reads the stored bytes, anything the PDF
shows that changes (a payment, a duplicate's date) gives new bytes under a new strong ETag, a matching
If-None-Match is 304 without a body, and only after the same access checks as the download itself."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pypdf
import pytest
import weasyprint
from django.utils import timezone

from backend.clients.models import ClientMembership
from backend.invoices.models import InvoiceDuplicate
from backend.invoices.services import record_payment
from tests.factories import InvoiceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG_ETAG = re.compile(r'^"[0-9a-f]{64}"$')


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def squeezed(text: str) -> str:
    """Text without whitespace (the thousands' non-breaking space included)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def layouts(monkeypatch) -> list[int]:
    """Count WeasyPrint's layouts (its one costly call), old code or new, and still lay each out."""
    calls: list[int] = []
    write_pdf = weasyprint.HTML.write_pdf

    def counted(self, *args, **kwargs):
        calls.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    return calls


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


@pytest.fixture
def invoice(acme):
    return InvoiceFactory(client=acme, number="FV/2026/05/0000013")


def pdf_url(invoice) -> str:
    return f"/api/invoices/{invoice.pk}/pdf/"


def test_a_second_download_reads_the_stored_pdf_instead_of_laying_it_out_again(api, invoice, layouts):
    # when
    first = api.get(pdf_url(invoice))
    second = api.get(pdf_url(invoice))

    # then
    assert first.status_code == second.status_code == 200
    assert len(layouts) == 1
    assert second.content == first.content
    assert STRONG_ETAG.match(first["ETag"])
    assert second["ETag"] == first["ETag"]
    assert "public" not in second["Cache-Control"] and "private" in second["Cache-Control"]
    assert second["Content-Disposition"] == 'attachment; filename="faktura_FV_2026_05_0000013.pdf"'


def test_a_payment_shows_on_a_new_pdf_under_a_new_etag(api, invoice, layouts):
    # given
    before = api.get(pdf_url(invoice))

    # when
    record_payment(invoice=invoice, amount=Decimal("100.00"), paid_on=timezone.localdate())
    after = api.get(pdf_url(invoice), HTTP_IF_NONE_MATCH=before["ETag"])

    # then: the old ETag does not match any more: the whole new PDF
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content
    assert len(layouts) == 2
    assert "1130,00" in squeezed(pdf_text(after.content))  # left to pay of 1 230,00
    assert "1130,00" not in squeezed(pdf_text(before.content))


def test_a_matching_if_none_match_is_304_without_a_body(api, invoice, layouts):
    # given
    etag = api.get(pdf_url(invoice))["ETag"]

    # when
    response = api.get(pdf_url(invoice), HTTP_IF_NONE_MATCH=etag)
    listed = api.get(pdf_url(invoice), HTTP_IF_NONE_MATCH=f'"0000", W/{etag}')

    # then
    assert response.status_code == listed.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Content-Disposition" not in response
    assert len(layouts) == 1


def test_another_companys_user_gets_404_even_with_the_right_etag(api, invoice, api_as, other_client_user):
    # given
    etag = api.get(pdf_url(invoice))["ETag"]

    # when
    response = api_as(other_client_user).get(pdf_url(invoice), HTTP_IF_NONE_MATCH=etag)

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "ETag" not in response


def test_a_colleague_whose_role_has_no_invoices_is_refused_even_with_the_right_etag(
    api, invoice, api_as, acme
):
    # given
    etag = api.get(pdf_url(invoice))["ETag"]
    fleet = UserFactory(email="flota@acme.pl")
    MembershipFactory(user=fleet, client=acme, role=ClientMembership.Role.FLEET_MANAGER)

    # when
    response = api_as(fleet).get(pdf_url(invoice), HTTP_IF_NONE_MATCH=etag)

    # then
    assert response.status_code in (403, 404)
    assert "ETag" not in response


def test_a_duplicate_carries_its_marking_and_its_own_etag_and_downloads_again_unrendered(
    api, invoice, client_user, layouts
):
    # given
    original = api.get(pdf_url(invoice))

    # when
    created = api.post(f"/api/invoices/{invoice.pk}/duplicates/")
    duplicate = InvoiceDuplicate.objects.get(pk=created["X-Duplicate-Id"])
    again = api.get(f"/api/invoices/{invoice.pk}/duplicates/{duplicate.pk}/pdf/")

    # then
    assert created.status_code == 201 and again.status_code == 200
    assert again.content == created.content
    assert len(layouts) == 2  # the original, the duplicate: its download reads what the POST laid out
    assert again["ETag"] == created["ETag"] != original["ETag"]
    text = pdf_text(again.content)
    assert "DUPLIKAT" in text
    assert timezone.localdate(duplicate.issued_at).strftime("%d.%m.%Y") in text
    assert "DUPLIKAT" not in pdf_text(api.get(pdf_url(invoice)).content)


def test_an_earlier_duplicate_keeps_its_own_date_beside_a_new_one(api, invoice, client_user):
    # given
    earlier = InvoiceDuplicate.objects.create(
        invoice=invoice, requested_by=client_user, issued_at=timezone.now() - timedelta(days=40)
    )
    later = InvoiceDuplicate.objects.create(invoice=invoice, requested_by=client_user)

    # when
    old = api.get(f"/api/invoices/{invoice.pk}/duplicates/{earlier.pk}/pdf/")
    new = api.get(f"/api/invoices/{invoice.pk}/duplicates/{later.pk}/pdf/")

    # then
    assert old["ETag"] != new["ETag"]
    assert timezone.localdate(earlier.issued_at).strftime("%d.%m.%Y") in pdf_text(old.content)
    assert timezone.localdate(later.issued_at).strftime("%d.%m.%Y") in pdf_text(new.content)


def test_the_schema_documents_the_etag_revalidation(api):
    # when
    schema = api.get("/api/schema/", {"format": "json"}).json()

    # then
    for path in (
        "/api/invoices/{invoice_id}/pdf/",
        "/api/invoices/{invoice_id}/duplicates/{duplicate_id}/pdf/",
        "/api/contracts/{contract_id}/buyout-quotes/{quote_id}/pdf/",
    ):
        operation = schema["paths"][path]["get"]
        assert "304" in operation["responses"], path
        assert {"name": "If-None-Match", "in": "header"}.items() <= next(
            p for p in operation["parameters"] if p["name"] == "If-None-Match"
        ).items(), path
