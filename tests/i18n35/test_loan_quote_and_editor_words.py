"""Texts a crawl of the pages does not read, each once shown in English to a Polish user: the accepted
loan buyout quote's PDF, the flow editor's note after opening a DMN table (a data attribute its script
shows), the Django admin's client form."""

from __future__ import annotations

import html
import re

import pytest

from backend.accounts.models import User
from tests.factories import ClientFactory, UserFactory
from tests.files15.test_buyout_and_schedule_files import quote_pdf
from workflows.models import ProcessVersion

pytestmark = pytest.mark.django_db


def test_a_polish_loan_buyout_quote_pdf_says_zw_not_exempt(
    bought_out_loan, api_as, client_user, acme_contract
):
    text = quote_pdf(api_as(client_user), bought_out_loan.pk, acme_contract)

    assert "zw(art.43ust.1pkt38ustawyoVAT)" in text
    assert "exempt" not in text


def test_the_flow_editor_says_in_polish_that_a_dmn_table_was_opened(client, analyst):
    analyst.language = "pl"
    analyst.save(update_fields=["language"])
    client.force_login(analyst)
    process_key = ProcessVersion.objects.values_list("process_key", flat=True).first()

    page = html.unescape(client.get(f"/analyst/flows/{process_key}/").content.decode())

    assert 'data-text-uploaded="Otwarto tabelę %(name)s. Sprawdź i wdróż proces, aby jej użyć."' in page


def test_the_admins_client_form_names_its_users_section_in_polish(client):
    administrator = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True, language="pl")
    client.force_login(administrator)
    company = ClientFactory()

    page = client.get(f"/admin/clients/client/{company.pk}/change/").content.decode()

    headings = re.findall(r'<h2 id="fieldset-[^"]*" class="fieldset-heading">([^<]*)</h2>', page)
    assert headings[-1] == "Użytkownicy"  # the add-a-user section, last of the form's sections
