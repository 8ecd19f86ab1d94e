from datetime import date

import pytest

from backend.documents.models import Document
from backend.documents.uploads import store_bytes
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

LIST = "/api/documents/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_document(
    client, *, kind="balance_confirmation", contract=None, issued_on=date(2026, 3, 1), title="Dokument"
):
    path = store_bytes(PDF, folder="documents", extension="pdf")
    return Document.objects.create(
        client=client,
        contract=contract,
        kind=kind,
        title=title,
        file=path,
        original_name="potwierdzenie salda.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        issued_on=issued_on,
    )


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_list_shows_only_own_documents_newest_first(api, acme, other_company):
    make_document(acme, title="Stary", issued_on=date(2025, 1, 1))
    make_document(acme, title="Nowy", issued_on=date(2026, 1, 1))
    make_document(other_company, title="Cudzy")
    assert titles(api.get(LIST)) == ["Nowy", "Stary"]


def test_filters_by_kind_contract_and_date_range(api, acme):
    contract = ContractFactory(client=acme)
    make_document(acme, title="Kompensata", kind="compensation_note", issued_on=date(2026, 2, 1))
    make_document(acme, title="Saldo umowy", contract=contract, issued_on=date(2026, 3, 1))
    make_document(acme, title="Saldo stare", issued_on=date(2025, 3, 1))
    assert titles(api.get(LIST, {"kind": "compensation_note"})) == ["Kompensata"]
    assert titles(api.get(LIST, {"contract": contract.pk})) == ["Saldo umowy"]
    assert titles(api.get(LIST, {"date_from": "2026-01-01", "date_to": "2026-02-28"})) == ["Kompensata"]


def test_download_returns_file_with_type_and_name(api, acme):
    # given
    document = make_document(acme)

    # when
    response = api.get(f"{LIST}{document.pk}/download/")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "potwierdzenie" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_another_clients_document_is_not_found(api, other_company):
    foreign = make_document(other_company)
    assert api.get(f"{LIST}{foreign.pk}/download/").status_code == 404


def test_staff_cannot_use_client_document_list(api_as, bok_staff):
    assert api_as(bok_staff).get(LIST).status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_is_bounded(api, acme, rows, django_assert_max_num_queries):
    contract = ContractFactory(client=acme)
    for n in range(rows):
        make_document(acme, contract=contract, title=f"D{n}")
    with django_assert_max_num_queries(8):
        assert len(titles(api.get(LIST, {"page_size": 50}))) == rows


# --- client data -------------------------------------------------------------------------------------


def test_client_data_is_the_active_clients(api, acme):
    # when
    body = api.get("/api/client/").json()

    # then
    assert body["name"] == "ACME Logistyka sp. z o.o."
    assert body["nip"] == acme.nip
    assert body["regon"] == acme.regon
    assert body["registered_address"] == "ul. Marszałkowska 10/4, 00-590 Warszawa"
    assert body["bank_account_formatted"].replace(" ", "") == acme.bank_account
    assert body["bank_account_formatted"].startswith("PL") and body["bank_account_formatted"].count(" ") == 6
    assert body["change_request"]["kind"] == "client_data_change"


def test_client_data_is_read_only(api):
    assert api.put("/api/client/", {"name": "X"}, format="json").status_code == 405


def test_client_data_needs_a_client_user(api_as, bok_staff):
    assert api_as(bok_staff).get("/api/client/").status_code == 403
