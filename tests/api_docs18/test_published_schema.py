"""The API's published documentation as an outside integrator reads it: /api/schema/ behind /api/docs/.

Every operation says what it does; no text meant for the portal's developers leaks into it; it is English
whatever the reader's language; the request flow, the messages and the error shape carry real examples.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

import jsonschema
import pytest
from django.test import Client

from backend.requests_app.catalogue import catalogue
from backend.requests_app.models import PortalRequest

pytestmark = pytest.mark.django_db

_SCHEMA: dict = {}
METHODS = {"get", "post", "put", "patch", "delete"}
# Words of a note for developers: a source path, a Python class, the framework's names, history.
DEVELOPER_MARKERS = ("backend/", "class ", "ModelSerializer", "DRF", "as before", "serializer")


def published_schema() -> dict:
    """GET /api/schema/ as JSON, read by an anonymous browser that chose Polish (fetched once)."""
    if not _SCHEMA:
        browser = Client()
        browser.cookies["django_language"] = "pl"
        response = browser.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert response.status_code == 200, response.content[:300]
        _SCHEMA.update(response.json())
    return _SCHEMA


def operations(schema: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def texts(node, where: str = "") -> Iterator[tuple[str, str]]:
    """Every description, summary and title in the schema (the API's own guide included)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"description", "summary", "title"} and isinstance(value, str):
                yield f"{where}/{key}", value
            else:
                yield from texts(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from texts(value, f"{where}/{index}")


def test_no_developer_note_is_published_as_api_text():
    # given
    schema = published_schema()

    # when
    leaks = [
        (where, text[:120]) for where, text in texts(schema) if any(m in text for m in DEVELOPER_MARKERS)
    ]

    # then: e.g. InvoiceList was "Put before the DRF serializer class: `class S(FlatReadSerializerMixin, …`"
    assert leaks == []
    assert schema["components"]["schemas"]["Error"]["description"].startswith(
        "The body of every error answer"
    )


def test_every_operation_says_what_it_does():
    # given
    schema = published_schema()

    # when
    silent = [
        f"{method.upper()} {path}"
        for path, method, operation in operations(schema)
        if not (operation.get("description") or operation.get("summary"))
    ]

    # then
    assert silent == []


def test_schema_is_english_for_a_reader_who_chose_polish():
    # given: the browser's cookie says Polish (the portal's own default too)
    schema = published_schema()
    invoices = {p["name"]: p for p in schema["paths"]["/api/invoices/"]["get"]["parameters"]}

    # then: parameter texts, enum labels and the sort options are English, none Polish
    assert invoices["page"]["description"] == 'A page number from 1, or "last".'
    assert "* `-issue_date` - Issue date (descending)" in invoices["ordering"]["description"]
    assert "* `unpaid` - Unpaid" in invoices["status"]["description"]
    polish = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]|malejąco|Numer strony|Zapłacona")
    request_kind = schema["components"]["schemas"]["RequestKindEnum"]["description"]
    assert not polish.search(invoices["ordering"]["description"] + invoices["page"]["description"])
    assert not polish.search(request_kind)


def test_page_is_a_number_or_last_and_plain_lists_offer_no_paging():
    # given
    schema = published_schema()

    # when
    page = {p["name"]: p for p in schema["paths"]["/api/requests/"]["get"]["parameters"]}["page"]
    plain_array_lists = [
        (path, method)
        for path, method, operation in operations(schema)
        if method == "get"
        and operation["responses"]
        .get("200", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("type")
        == "array"
    ]
    offered_paging = [
        (path, method)
        for path, method in plain_array_lists
        if {"page", "page_size"} & {p["name"] for p in schema["paths"][path][method].get("parameters", [])}
    ]

    # then
    assert {"type": "string", "enum": ["last"]} in page["schema"]["oneOf"]
    assert ("/api/contracts/{contract_id}/schedule/", "get") in plain_array_lists
    assert offered_paging == []


def test_nested_bodies_are_documented_as_json():
    # given
    schema = published_schema()

    # when
    submit = schema["paths"]["/api/requests/"]["post"]["requestBody"]["content"]
    message = schema["paths"]["/api/messages/"]["post"]["requestBody"]["content"]

    # then: a form could carry `contact`, `data`, `declarations` only as dotted keys; messages take files
    assert list(submit) == ["application/json"]
    assert "multipart/form-data" in message


def test_error_shape_has_examples_of_a_form_error_and_a_conflict():
    # given
    responses = published_schema()["paths"]["/api/requests/{request_id}/cancel/"]["post"]["responses"]

    # when
    form_error = responses["400"]["content"]["application/json"]["examples"]["invalid"]["value"]
    conflict = responses["409"]["content"]["application/json"]["examples"]["invalid_transition"]["value"]

    # then
    assert form_error["code"] == "invalid" and "contact.email" in form_error["fields"]
    assert conflict == {
        "code": "invalid_transition",
        "message": "This action is not possible in the request's current state.",
        "fields": {},
    }


def _example(path: str, method: str = "post") -> dict:
    content = published_schema()["paths"][path][method]["requestBody"]["content"]["application/json"]
    return next(iter(content["examples"].values()))["value"]


def test_submit_points_to_the_catalogue_and_its_example_is_what_the_catalogue_asks(acme_contract):
    # given
    operation = published_schema()["paths"]["/api/requests/"]["post"]
    example = _example("/api/requests/")
    kind = next(k for t in catalogue() for k in t["kinds"] if k["kind"] == example["kind"])

    # then: the description sends the reader to the catalogue's form_schema, the example passes it
    assert "GET /api/requests/catalogue/" in operation["description"]
    assert "form_schema" in operation["description"]
    jsonschema.validate(example, kind["form_schema"])
    assert set(example["declarations"]) == {d["code"] for d in kind["declarations"]}


def test_submit_example_is_accepted_by_the_server(api_as, client_user, acme_contract):
    # given: the documented example with one of the user's contracts
    body = copy.deepcopy(_example("/api/requests/"))
    body["contract_id"] = acme_contract.pk

    # when
    response = api_as(client_user).post("/api/requests/", body, format="json")

    # then
    assert response.status_code == 201, response.json()
    assert PortalRequest.objects.get(pk=response.json()["id"]).kind == "payment_date_change"


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/api/requests/{request_id}/reply/", {"task_id", "message"}),
        ("/api/staff/requests/{request_id}/ask-client/", {"task_id", "question"}),
        ("/api/staff/requests/{request_id}/approve/", {"task_id", "answer"}),
        ("/api/messages/", {"subject", "category", "body"}),
    ],
)
def test_writes_of_the_request_flow_and_messages_have_examples(path, fields):
    assert fields <= set(_example(path))
