"""The NUL character in a query string is a 400 before any view (backend/core/query_strings.py).

PostgreSQL cannot compare text holding a NUL: a filter or search that passed one on answered 500 there.
This module also runs in the PostgreSQL phase of `make test`.
"""

from __future__ import annotations

import pytest

from tests.hardening.api_schema import each_query_parameter, query_parameters

STRING_QUERY_PARAMETERS = query_parameters(
    lambda path, parameter: "{" not in path and parameter["schema"].get("type") == "string"
)


def test_the_discovery_finds_the_filters_that_failed():
    assert ("/api/workflows/versions/", "process_key") in STRING_QUERY_PARAMETERS
    assert len(STRING_QUERY_PARAMETERS) > 20


@each_query_parameter(STRING_QUERY_PARAMETERS)
def test_a_nul_in_an_api_query_parameter_is_a_400_in_the_error_shape(people, api_as, path, name):
    for person in people:
        response = api_as(person).get(path, {name: "a\x00b"})

        assert response.status_code == 400, (person.email, response.status_code)
        assert response.json() == {
            "code": "bad_request",
            "message": "Nie udało się przetworzyć żądania.",
            "fields": {},
        }


@pytest.mark.parametrize(
    "url",
    [
        "/staff/tasks/?contract=a%00b",
        "/staff/client-users/?q=a%00b",
        "/staff/messages/?client_name=a%00b",
        "/invoices/?number=a%00b",
        "/requests/?contract=a%00b",
        "/?next=%00",
    ],
)
def test_a_nul_in_a_page_query_is_a_400_page(client, people, url):
    for person in people:
        client.force_login(person)

        response = client.get(url)

        assert response.status_code == 400, (person.email, response.status_code)
        assert response["Content-Type"].startswith("text/html")
        assert (
            "Nie udało się przetworzyć żądania" in response.content.decode()
        )  # the portal's page, in Polish


def test_ordinary_queries_still_answer(client, api_as, bok_staff):
    assert (
        api_as(bok_staff).get("/api/workflows/versions/", {"process_key": "zmiana_dnia"}).status_code == 200
    )
    client.force_login(bok_staff)
    assert client.get("/staff/tasks/?contract=UM%2F2026").status_code == 200
    assert client.get("/staff/client-users/?q=100%25").status_code == 200  # "100%": a percent sign is fine


# --- form fields of pages ------------------------------------------------------------------------------


def test_a_nul_in_a_page_form_field_is_a_400_and_nothing_is_written(client, analyst, client_user, acme):
    from backend.core.models import AuditLog
    from backend.messaging.models import MessageThread
    from tests.portal_ui.test_flow_migration import submit_request

    instance = submit_request(client_user, acme).process_instance
    client.force_login(analyst)

    # The repair console reads its note straight from the POST: on PostgreSQL the NUL was a 500.
    response = client.post(f"/ops/instances/{instance.pk}/suspend/", {"note": "a\x00b"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    instance.refresh_from_db()
    assert not instance.suspended
    assert not AuditLog.objects.filter(action="workflow.repair.suspend").exists()

    client.force_login(client_user)
    sent = client.post("/messages/new/", {"subject": "Pyt\x00anie", "category": "other", "body": "Treść."})
    assert sent.status_code == 400
    assert not MessageThread.objects.exists()


def test_a_file_may_hold_nul_bytes(client, client_user, acme_contract):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from backend.messaging.models import MessageThread

    client.force_login(client_user)
    pdf = SimpleUploadedFile(
        "skan.pdf", b"%PDF-1.4\n\x00\x01\x02 binary\n%%EOF\n", content_type="application/pdf"
    )

    response = client.post(
        "/messages/new/",
        {
            "subject": "Skan umowy",
            "category": "contract",
            "contract_id": acme_contract.pk,
            "body": "W załączniku skan.",
            "attachments": pdf,
        },
    )

    assert response.status_code == 302, response.content[:500]
    assert MessageThread.objects.get().subject == "Skan umowy"


def test_the_api_reads_its_own_form_bodies(api_as, client_user, acme_contract):
    # DRF parses the API's multipart bodies (the middleware leaves them alone); its text fields refuse a NUL.
    response = api_as(client_user).post(
        "/api/messages/",
        {"subject": "a\x00b", "category": "contract", "contract_id": acme_contract.pk, "body": "x"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "subject" in response.json()["fields"]


def test_the_refusal_speaks_the_users_language(client, api_as, client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    client.force_login(client_user)

    page = client.get("/invoices/?number=a%00b")
    api = api_as(client_user).get("/api/invoices/", {"number": "a\x00b"})

    assert page.status_code == 400
    assert "The request could not be processed" in page.content.decode()
    assert api.json()["message"] == "The request could not be processed."
