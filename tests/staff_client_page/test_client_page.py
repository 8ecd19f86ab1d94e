"""Customer service's client page (/staff/clients/<id>/): what a caller asks about, read-only."""

from __future__ import annotations

import re

import pytest

from backend.accounts.models import User
from backend.core.models import AuditLog
from tests.factories import ClientFactory, InvoiceFactory, UserFactory
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


def section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</table>", start)]


def test_the_page_shows_the_company_and_each_section(bok_staff, seeded):
    # given
    client = seeded["client"]

    # when
    response = browsing_as(bok_staff).get(f"/staff/clients/{client.pk}/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    company = page[page.index('data-testid="company"') :]
    assert client.name in company and client.registered_city in company and client.email in company
    assert "+48 22 555 66 77" in company
    contracts = section(page, "contracts")
    assert "LF/2025/000777" in contracts and "Skoda Octavia 2.0 TDI" in contracts
    invoices = section(page, "invoices")
    assert all(n in invoices for n in ("FV/2026/0000101", "FV/2026/0000102", "FV/2026/0000103"))
    assert "Zapłacona" in invoices and "Przeterminowana" in invoices
    assert f"/staff/clients/{client.pk}/invoices/" in invoices
    assert "Rata 5" in section(page, "payments")
    users = section(page, "users")
    assert "anna.kowalska@acme.pl" in users and "zofia.krol@acme.pl" in users
    assert "Oczekuje na aktywację" in users
    assert "/staff/client-users/?q=zofia.krol%40acme.pl" in users
    requests = section(page, "requests")
    assert seeded["request"].number in requests and f"/staff/tasks/{seeded['request'].pk}/" in requests
    threads = section(page, "threads")
    assert "Korekta adresu na fakturze" in threads and f"/staff/messages/{seeded['thread'].pk}/" in threads


def test_the_requests_and_threads_headings_count_them_as_contracts_and_users_do(bok_staff, seeded):
    page = browsing_as(bok_staff).get(f"/staff/clients/{seeded['client'].pk}/").content.decode()

    # then every list's heading says how many it holds, across its pages
    for title, heading in (("requests-title", "Wnioski"), ("threads-title", "Wątki wiadomości")):
        start = page.index(f'id="{title}"')
        text = re.sub(r"<[^>]+>", "", page[start : page.index("</h2>", start)]).split(">", 1)[1]
        assert text == f"{heading} (1)", text


def test_a_contract_row_has_the_next_installment_and_the_overdue_amount(bok_staff, seeded, acme_contract):
    page = browsing_as(bok_staff).get(f"/staff/clients/{seeded['client'].pk}/").content.decode()

    row = page[page.index(f'data-number="{acme_contract.number}"') :]
    row = row[: row.index("</tr>")]
    upcoming = acme_contract.schedule_rows.filter(paid=False).order_by("due_date").first()
    # as the client's pages format them: "1 234,56 zł", "10.12.2026"
    assert re.search(r'data-testid="next-installment">.*\d[\d\xa0 ]*,\d\d', row)
    assert upcoming.due_date.strftime("%d.%m.%Y") in row
    overdue = row[row.index('data-testid="contract-overdue"') :]
    assert "2460,00" in overdue.replace("\xa0", "").replace(" ", "")


def test_a_user_limited_to_some_contracts_lists_them_and_the_owner_sees_all(bok_staff, seeded):
    page = browsing_as(bok_staff).get(f"/staff/clients/{seeded['client'].pk}/").content.decode()

    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r'data-email="([^"]+)".*?data-testid="user-contracts">(.*?)</td>', page, re.S)
    }
    assert rows["anna.kowalska@acme.pl"] == "wszystkie"
    assert rows["zofia.krol@acme.pl"] == "LF/2025/000777"


def test_an_empty_client_says_so_in_each_section(bok_staff):
    client = ClientFactory(name="Pusta sp. z o.o.")

    page = browsing_as(bok_staff).get(f"/staff/clients/{client.pk}/").content.decode()

    for empty in ("contracts-empty", "invoices-empty", "payments-empty", "requests-empty", "threads-empty"):
        assert f'data-testid="{empty}"' in page


def test_the_page_is_in_english_for_english_staff(bok_staff, seeded):
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])

    page = browsing_as(bok_staff).get(f"/staff/clients/{seeded['client'].pk}/").content.decode()

    assert "Users of the company" in page and "Awaiting activation" in page and "Booked payments" in page


def test_long_invoice_lists_page_on_their_own_parameter(bok_staff, acme):
    for number in range(25):
        InvoiceFactory(client=acme, number=f"FV/2026/9{number:06d}")
    staff = browsing_as(bok_staff)

    # The overview shows the newest few (tests/staff34b); the full list pages from `?invoices_page=1`.
    first = staff.get(f"/staff/clients/{acme.pk}/", {"invoices_page": 1}).content.decode()
    second = staff.get(f"/staff/clients/{acme.pk}/", {"invoices_page": 2}).content.decode()

    assert first.count('data-testid="invoice-row"') == 20
    assert second.count('data-testid="invoice-row"') == 5
    assert "invoices_page=2#invoices" in first


def test_the_page_reads_a_bounded_number_of_queries(bok_staff, seeded, django_assert_max_num_queries):
    staff = browsing_as(bok_staff)
    staff.get(f"/staff/clients/{seeded['client'].pk}/")  # warm the session and the stage labels

    with django_assert_max_num_queries(25):
        response = staff.get(f"/staff/clients/{seeded['client'].pk}/")
    assert response.status_code == 200


def test_an_unknown_client_is_404(bok_staff):
    assert browsing_as(bok_staff).get("/staff/clients/999999/").status_code == 404


def test_client_users_and_analysts_may_not_open_it(client_user, analyst, acme):
    assert browsing_as(client_user).get(f"/staff/clients/{acme.pk}/").status_code == 403
    assert browsing_as(analyst).get(f"/staff/clients/{acme.pk}/").status_code == 403
    assert browsing_as(analyst).get("/staff/clients/", {"q": "acme"}).status_code == 403


def test_an_admin_may_open_it(acme):
    admin = UserFactory(email="szef@leasing.example", role=User.Role.ADMIN)
    assert browsing_as(admin).get(f"/staff/clients/{acme.pk}/").status_code == 200


def test_staff_download_the_invoice_pdf_and_the_download_is_logged(bok_staff, acme, other_company):
    invoice = InvoiceFactory(client=acme, number="FV/2026/0000555")
    foreign = InvoiceFactory(client=other_company)
    staff = browsing_as(bok_staff)

    response = staff.get(f"/staff/clients/{acme.pk}/invoices/{invoice.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "FV_2026_0000555" in response["Content-Disposition"]
    entry = AuditLog.objects.get(action="staff_invoice_downloaded")
    assert entry.user == bok_staff and entry.detail["invoice_number"] == "FV/2026/0000555"
    assert str(entry).endswith("Pobranie PDF faktury przez obsługę klienta bok@leasing.example")
    # another client's invoice under this client's address is not found
    assert staff.get(f"/staff/clients/{acme.pk}/invoices/{foreign.pk}/pdf/").status_code == 404


def test_a_client_user_may_not_download_through_the_staff_address(client_user, acme):
    invoice = InvoiceFactory(client=acme)
    assert (
        browsing_as(client_user).get(f"/staff/clients/{acme.pk}/invoices/{invoice.pk}/pdf/").status_code
        == 403
    )


def test_the_staff_navigation_links_the_client_search(bok_staff, analyst):
    page = browsing_as(bok_staff).get("/staff/clients/").content.decode()

    assert 'href="/staff/clients/"' in page and 'data-testid="client-search"' in page
    assert 'href="/staff/clients/"' not in browsing_as(analyst).get("/staff/").content.decode()


def test_the_dashboard_of_customer_service_has_the_client_search_box(bok_staff, analyst):
    assert 'data-testid="client-search"' in browsing_as(bok_staff).get("/staff/").content.decode()
    assert 'data-testid="client-search"' not in browsing_as(analyst).get("/staff/").content.decode()


def test_the_task_page_the_thread_page_and_the_activation_rows_link_the_client(bok_staff, seeded):
    client = seeded["client"]
    link = f'href="/staff/clients/{client.pk}/"'
    staff = browsing_as(bok_staff)

    task = staff.get(f"/staff/tasks/{seeded['request'].pk}/").content.decode()
    thread = staff.get(f"/staff/messages/{seeded['thread'].pk}/").content.decode()
    activation = staff.get("/staff/client-users/", {"q": "acme"}).content.decode()

    assert link in task and link in thread and link in activation


def test_an_unassigned_thread_reads_as_in_the_inbox_not_as_an_unclaimed_task(bok_staff, seeded):
    # A thread nobody holds is "nieprzypisany" (a thread, as the inbox says), not a task's "nieprzejęte".
    page = browsing_as(bok_staff).get(f"/staff/clients/{seeded['client'].pk}/").content.decode()

    threads = section(page, "threads")
    assert seeded["thread"].assignee_id is None
    assert "nieprzypisany" in threads and "nieprzejęte" not in threads
