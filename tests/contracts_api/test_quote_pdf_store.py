"""A buyout quote's PDF is laid out once per content: the same quote in the same language and status is read
from the store; another language or a status that changed (expired) is another PDF under another ETag."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pypdf
import pytest
import weasyprint
from django.utils import timezone

from backend.contracts.models import BuyoutQuote
from tests.effects_walk.helpers import new_buyout_quote

pytestmark = pytest.mark.django_db


def squeezed_text(content: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return re.sub(r"\s+", "", "\n".join(page.extract_text() for page in pages))


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


def test_a_quote_pdf_is_laid_out_once_per_language_and_status(api_as, client_user, acme_contract, layouts):
    # given
    api = api_as(client_user)
    quote = new_buyout_quote(api, acme_contract)
    url = f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/pdf/"

    # when
    polish = api.get(url, {"lang": "pl"})
    again = api.get(url, {"lang": "pl"})
    unchanged = api.get(url, {"lang": "pl"}, HTTP_IF_NONE_MATCH=polish["ETag"])
    english = api.get(url, {"lang": "en"})
    BuyoutQuote.objects.filter(pk=quote["id"]).update(valid_until=timezone.localdate() - timedelta(days=1))
    expired = api.get(url, {"lang": "pl"}, HTTP_IF_NONE_MATCH=polish["ETag"])

    # then
    assert [r.status_code for r in (polish, again, unchanged, english, expired)] == [200, 200, 304, 200, 200]
    assert again.content == polish.content
    assert unchanged.content == b""
    assert len(layouts) == 3  # Polish, English, Polish once expired
    assert len({polish["ETag"], english["ETag"], expired["ETag"]}) == 3
    assert english.content != polish.content
    assert "StatusWygasła" in squeezed_text(expired.content)
    assert "StatusWygasła" not in squeezed_text(polish.content)
