"""Bad input is a 4xx in the API's error shape (or ignored on a page), never a 500.

The API's integer-ish query parameters are read from the OpenAPI schema, so a list endpoint or filter added
later is covered without touching this file.
"""

from __future__ import annotations

import re
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from backend.core.models import AuditLog
from backend.sso.services import link_bank_customer
from tests.hardening.api_schema import each_query_parameter, query_parameters, schema_paths

BAD_IDS = ["abc", "1.5", "²", "-1", str(2**70)]
PAGINATION = {"page", "page_size"}
HUGE = str(2**70)


def _integer_ish(parameter: dict) -> bool:
    schema = parameter.get("schema", {})
    # A string parameter counts when its pattern admits a plain id ("me|none|[0-9]+" does, "YYYY-MM" not).
    pattern = schema.get("pattern", "")
    return schema.get("type") in {"integer", "number"} or bool(pattern and re.search(pattern, "123"))


def _id_query_parameters() -> list[tuple[str, str]]:
    # The lists' filters; an object's own query (a thread's `before` and `limit`) needs the object, and is
    # tried with it (tests/messaging/test_thread_api_parts.py).
    return query_parameters(
        lambda path, parameter: (
            "{" not in path and parameter["name"] not in PAGINATION and _integer_ish(parameter)
        )
    )


def _paginated_paths() -> list[str]:
    return sorted(
        path
        for path, operations in schema_paths().items()
        if "{" not in path
        and {p["name"] for p in operations.get("get", {}).get("parameters", []) if p["in"] == "query"}
        >= PAGINATION
    )


def _operations_with_ids() -> list[tuple[str, str]]:
    """(method, path) of every operation with an id in its path."""
    methods = {"get", "post", "put", "patch", "delete"}
    return sorted(
        (method, path)
        for path, operations in schema_paths().items()
        if "{" in path
        for method in operations.keys() & methods
    )


ID_QUERY_PARAMETERS = _id_query_parameters()


def test_the_schema_names_the_known_id_filters():
    # Guards the discovery itself: if it found nothing, every parametrised test below would pass vacuously.
    expected = {
        ("/api/invoices/", "contract"),
        ("/api/invoices/archive/", "contract"),
        ("/api/documents/", "contract"),
        ("/api/messages/", "contract"),
        ("/api/staff/messages/", "client"),
        ("/api/staff/messages/", "contract"),
        ("/api/requests/", "contract"),
        ("/api/staff/tasks/", "client"),
        ("/api/staff/tasks/", "assignee"),
        ("/api/settlements/due/", "contract"),
    }
    assert expected <= set(ID_QUERY_PARAMETERS)


def _api_for(path: str, people, api_as):
    """The API client of the first person allowed to read `path` (the list answers 200 without filters)."""
    for person in people:
        api = api_as(person)
        if api.get(path).status_code == 200:
            return api
    pytest.fail(f"nobody may read {path}: the test's people do not cover its permission")


def _assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body


@each_query_parameter(ID_QUERY_PARAMETERS)
@pytest.mark.parametrize("value", BAD_IDS, ids=["text", "decimal", "superscript", "negative", "2**70"])
def test_a_malformed_id_filter_is_a_400_in_the_error_shape(people, api_as, path, name, value):
    # given
    api = _api_for(path, people, api_as)

    # when
    response = api.get(path, {name: value})

    # then
    body = _assert_error_shape(response, 400)
    assert body["code"] == "invalid"
    assert name in body["fields"]


@each_query_parameter(ID_QUERY_PARAMETERS)
def test_a_well_formed_id_filter_still_answers(people, api_as, acme_contract, path, name):
    api = _api_for(path, people, api_as)

    response = api.get(path, {name: acme_contract.pk})

    assert response.status_code == 200


@pytest.mark.parametrize("path", _paginated_paths())
@pytest.mark.parametrize(
    "params", [{"page": "abc"}, {"page": HUGE}, {"page_size": "abc"}, {"page_size": HUGE}]
)
def test_bad_pagination_is_never_a_500(people, api_as, path, params):
    api = _api_for(path, people, api_as)

    response = api.get(path, params)

    # A malformed page or page size names the parameter (400); a page past the last is not found (404).
    if params.get("page") == HUGE or params.get("page_size") == HUGE:
        assert response.status_code in {200, 404}
    else:
        assert _assert_error_shape(response, 400)["fields"].keys() == params.keys()
    if response.status_code == 404:
        _assert_error_shape(response, 404)


OPERATIONS_WITH_IDS = _operations_with_ids()


def test_the_schema_lists_the_operations_with_ids():
    # Guards the discovery: the three operations a fuzz run once answered with a 500 among them.
    assert {
        ("post", "/api/requests/{request_id}/cancel/"),
        ("get", "/api/contracts/{contract_id}/buyout-quotes/{quote_id}/pdf/"),
        ("patch", "/api/client/users/{membership_id}/"),
    } <= set(OPERATIONS_WITH_IDS)
    assert len(OPERATIONS_WITH_IDS) > 60


@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS_WITH_IDS, ids=[f"{m} {p}" for m, p in OPERATIONS_WITH_IDS]
)
def test_an_out_of_range_id_in_the_path_is_not_found(people, api_as, method, path):
    # Each id of the path in turn out of range (2**70, 2**63), the others a plausible id.
    names = re.findall(r"\{([^}]+)\}", path)
    for name, huge in [(name, huge) for name in names for huge in (HUGE, str(2**63))]:
        url = path
        for other in names:
            url = url.replace("{" + other + "}", huge if other == name else "1")
        for person in people:
            response = getattr(api_as(person), method)(url, {}, format="json")

            assert response.status_code == 404, (person.email, method, url, response.status_code)
            _assert_error_shape(response, 404)


def test_the_largest_id_still_reaches_the_view(api_as, client_user):
    # 2**63 - 1 is a valid id: the view answers (not found), the URL is not refused before it.
    response = api_as(client_user).get(f"/api/contracts/{2**63 - 1}/")

    assert _assert_error_shape(response, 404)["code"] == "not_found"


def test_an_unknown_api_path_is_not_found_in_the_error_shape(api_as, client_user):
    for api in (api_as(client_user), APIClient()):
        response = api.get("/api/no-such-thing/")

        assert _assert_error_shape(response, 404)["code"] == "not_found"


def test_an_unknown_page_is_the_not_found_page(client, client_user):
    client.force_login(client_user)

    response = client.get(f"/contracts/{2**70}/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_staff_task_assignee_takes_me_none_or_an_id(api_as, bok_staff):
    api = api_as(bok_staff)

    for value in ("me", "none", str(bok_staff.pk), ""):
        assert api.get("/api/staff/tasks/", {"assignee": value}).status_code == 200
    assert "assignee" in _assert_error_shape(api.get("/api/staff/tasks/", {"assignee": "abc"}), 400)["fields"]


def test_a_malformed_due_date_of_the_staff_tasks_is_a_400(api_as, bok_staff):
    response = api_as(bok_staff).get("/api/staff/tasks/", {"due_before": "2026-13-45"})

    assert "due_before" in _assert_error_shape(response, 400)["fields"]


# --- pages: a bad id in the query string is ignored, the page still shows --------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/invoices/?contract={v}",
        "/archive/?contract={v}",
        "/documents/?contract={v}",
        "/messages/?contract={v}",
        "/requests/?contract={v}",
        "/settlements/due/?contract={v}",
        "/policies/?contract={v}",
    ],
)
@pytest.mark.parametrize("value", BAD_IDS)
def test_client_list_pages_ignore_a_malformed_id(client, client_user, acme_contract, url, value):
    client.force_login(client_user)

    response = client.get(url.format(v=value))

    assert response.status_code == 200


@pytest.mark.parametrize("value", BAD_IDS)
def test_staff_task_page_ignores_malformed_filters(client, bok_staff, value):
    client.force_login(bok_staff)

    response = client.get("/staff/tasks/", {"client": value, "assignee": value, "due_before": "2026-13-45"})

    assert response.status_code == 200


# --- the bank hand-off: any token is a rejection with an audit row --------------------------------


@pytest.fixture
def ec_bank_key(settings, tmp_path) -> bytes:
    """The bank's EC key pair; the portal holds its public half. Returns the private half (PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "bank-public.pem").write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    settings.BANK_SSO_PUBLIC_KEY_FILE = str(tmp_path / "bank-public.pem")
    settings.BANK_SSO_ENABLED = True
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _claims(settings, contract_number: str, **overrides) -> dict:
    now = int(time.time())
    claims = {
        "iss": settings.BANK_SSO_ISSUER,
        "aud": settings.BANK_SSO_AUDIENCE,
        "sub": "BANK-0001",
        "contract": contract_number,
        "iat": now,
        "exp": now + 60,
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return claims


def _rsa_private_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _unsigned(claims: dict) -> str:
    return jwt.encode(claims, None, algorithm="none")


TOKENS = {
    "rs256": lambda claims, ec_key: jwt.encode(claims, _rsa_private_pem(), algorithm="RS256"),
    "hs256": lambda claims, ec_key: jwt.encode(
        claims, "a-shared-secret-that-is-long-enough-32b", algorithm="HS256"
    ),
    "none": lambda claims, ec_key: _unsigned(claims),
    "garbage": lambda claims, ec_key: "garbage",
    "three dots": lambda claims, ec_key: "a.b.c",
    "bad signature": lambda claims, ec_key: "eyJhbGciOiJFUzI1NiJ9.e30.AAAA",
    "huge exp": lambda claims, ec_key: jwt.encode({**claims, "exp": 10**30}, ec_key, algorithm="ES256"),
    "exp infinity": lambda claims, ec_key: jwt.encode({**claims, "exp": 1e400}, ec_key, algorithm="ES256"),
}


@pytest.mark.parametrize("kind", list(TOKENS))
def test_any_bad_token_at_the_bank_handoff_is_a_rejection_with_an_audit_row(
    client, settings, client_user, acme_contract, ec_bank_key, kind
):
    # given
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    token = TOKENS[kind](_claims(settings, acme_contract.number), ec_bank_key)

    # when
    response = client.post(reverse("sso_bank"), {"assertion": token})

    # then
    assert response.status_code in {400, 403}
    assert "data-reason=" in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditLog.objects.get(action="sso_rejected")
    assert entry.success is False
    if kind in {"rs256", "hs256", "none"}:
        assert entry.detail["reason"] == "wrong_algorithm"


def test_an_es256_token_against_an_rsa_bank_key_is_a_rejection(
    client, settings, tmp_path, client_user, acme_contract
):
    # given: the bank's key is RSA; the token is ES256
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "rsa-public.pem").write_bytes(
        rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    settings.BANK_SSO_PUBLIC_KEY_FILE = str(tmp_path / "rsa-public.pem")
    settings.BANK_SSO_ENABLED = True
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(_claims(settings, acme_contract.number), ec_key, algorithm="ES256")

    # when
    response = client.post(reverse("sso_bank"), {"assertion": token})

    # then
    assert response.status_code == 403
    assert AuditLog.objects.get(action="sso_rejected").detail["reason"] == "wrong_algorithm"


def test_an_rs256_token_is_accepted_when_the_bank_key_is_rsa(
    client, settings, tmp_path, client_user, acme_contract
):
    # The key decides the algorithm: RSA banks still work (the module promises ES256 or RS256).
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "rsa-public.pem").write_bytes(
        rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    settings.BANK_SSO_PUBLIC_KEY_FILE = str(tmp_path / "rsa-public.pem")
    settings.BANK_SSO_ENABLED = True
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    token = jwt.encode(_claims(settings, acme_contract.number), rsa_key, algorithm="RS256")

    response = client.post(reverse("sso_bank"), {"assertion": token})

    assert response.status_code == 303  # on to the portal's own page, which logs in
    assert client.get(response["Location"]).status_code == 302
    assert AuditLog.objects.filter(action="sso_rejected").count() == 0


# --- ids in request bodies --------------------------------------------------------------------------------


def _integer_body_fields() -> list[tuple[str, str, dict]]:
    """(component, property, schema) of every integer (or list of integers) a request body takes."""
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    found = []
    for name, component in components.items():
        for prop, schema in component.get("properties", {}).items():
            item = schema.get("items", {}) if schema.get("type") == "array" else schema
            if name.endswith("Request") and item.get("type") == "integer":
                found.append((name, prop, item))
    return found


def test_every_id_a_request_body_takes_is_bounded_to_the_id_range():
    fields = _integer_body_fields()
    ids = [
        (name, prop, item)
        for name, prop, item in fields
        if prop.endswith(("_id", "_ids")) or prop == "thread"
    ]

    unbounded = [(name, prop) for name, prop, item in ids if item.get("maximum", 2**64) > 2**63 - 1]

    assert unbounded == []
    # Any other whole number a body takes too (a fuzz run found the drafts' `acting_for` reaching SQLite
    # as 2**70: an OverflowError, a 500).
    assert [(name, prop) for name, prop, item in fields if item.get("maximum", 2**64) > 2**63 - 1] == []
    assert ("MemberInviteInputRequest", "contract_ids") in {(n, p) for n, p, _ in ids}
    assert len(ids) > 15


@pytest.mark.parametrize("huge", [HUGE, str(2**63)])
def test_an_id_out_of_range_in_a_body_is_a_field_error(people, api_as, acme_contract, huge):
    client_user, bok_staff, _, administrator = people
    cases = [
        (
            administrator,
            "/api/client/users/",
            {
                "email": "nowy@acme.pl",
                "first_name": "Jan",
                "last_name": "Nowak",
                "role": "accountant",
                "contract_ids": [acme_contract.pk, int(huge)],
            },
            "contract_ids",
        ),
        (client_user, "/api/requests/schedule-quote/", {"contract_id": int(huge)}, "contract_id"),
        (bok_staff, "/api/messages/attachments/", {"thread": huge}, "thread"),
    ]
    for person, url, body, field in cases:
        api = api_as(person)
        response = api.post(url, body, format="multipart" if field == "thread" else "json")

        fields = _assert_error_shape(response, 400)["fields"]
        assert any(name.split(".")[0] == field for name in fields), (url, fields)  # a list's item: "field.1"


def test_an_out_of_range_company_of_a_draft_is_a_field_error(api_as, client_user):
    response = api_as(client_user).put(
        "/api/drafts/", {"form_key": "message-new", "data": {}, "acting_for": int(HUGE)}, format="json"
    )

    assert "acting_for" in _assert_error_shape(response, 400)["fields"]


def _write_operations_without_ids() -> list[tuple[str, str]]:
    methods = {"post", "put", "patch"}
    return sorted(
        (method, path)
        for path, operations in schema_paths().items()
        if "{" not in path
        for method in operations.keys() & methods
    )


WRITES_WITHOUT_IDS = _write_operations_without_ids()


def test_the_schema_lists_the_writes_without_ids():
    assert {("post", "/api/messages/"), ("put", "/api/drafts/")} <= set(WRITES_WITHOUT_IDS)
    assert len(WRITES_WITHOUT_IDS) > 15


@pytest.mark.parametrize(
    ("method", "path"), WRITES_WITHOUT_IDS, ids=[f"{m} {p}" for m, p in WRITES_WITHOUT_IDS]
)
def test_a_json_body_that_is_no_object_is_never_a_500(people, api_as, method, path):
    # A fuzz run once found POST /api/messages/ with a list, a string or a number as its body a 500.
    for person in people:
        api = api_as(person)
        for body in ("[]", '"x"', "1", "null", "[{}]"):
            response = getattr(api, method)(path, body, content_type="application/json")

            assert response.status_code < 500, (person.email, method, path, body, response.content[:300])
            if response.status_code >= 400:
                _assert_error_shape(response, response.status_code)


# --- dates at the ends of the calendar ------------------------------------------------------------------

EXTREME_DATES = ["9999-12-31", "0001-01-01", "9999-12-31T23:59:59", "0001-01-01T00:00", "9999-12", "0001-01"]


def _date_ish(path: str, parameter: dict) -> bool:
    name = parameter["name"]
    is_date = parameter.get("schema", {}).get("format") in {"date", "date-time"}
    return "{" not in path and (is_date or "date" in name or "month" in name)


DATE_QUERY_PARAMETERS = query_parameters(_date_ish)


def test_the_schema_names_the_date_filters():
    assert ("/api/staff/tasks/", "due_before") in DATE_QUERY_PARAMETERS
    assert len(DATE_QUERY_PARAMETERS) > 5


@each_query_parameter(DATE_QUERY_PARAMETERS)
def test_a_date_at_the_end_of_the_calendar_is_never_a_500(people, api_as, path, name):
    # DRF's date-time field shifted 0001-01-01 and 9999-12-31 by the zone's offset: OverflowError, a 500.
    reached = 0
    for person in people:
        api = api_as(person)
        for value in EXTREME_DATES:
            response = api.get(path, {name: value})

            assert response.status_code in {200, 400, 403}, (person.email, value, response.status_code)
            if response.status_code != 200:
                _assert_error_shape(response, response.status_code)
            reached += response.status_code != 403
    assert reached  # someone the view lets in


def test_the_staff_task_due_date_names_its_range(api_as, bok_staff):
    api = api_as(bok_staff)

    for value in ("0001-01-01", "9999-12-31", "1899-12-31T12:00"):
        fields = _assert_error_shape(api.get("/api/staff/tasks/", {"due_before": value}), 400)["fields"]
        assert fields == {"due_before": ["Podaj datę z lat 1900–2999."]}
    assert api.get("/api/staff/tasks/", {"due_before": "2026-12-01T12:00"}).status_code == 200
