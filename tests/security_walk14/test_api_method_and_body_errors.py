"""What an outside API client meets when it calls a method a path does not have, or sends a body the parsers
cannot read: DRF's 405 for every role (never the role's 403), and Polish sentences instead of its internals."""

from __future__ import annotations

import pytest

from backend.clients.models import ClientMembership
from tests.api_http.conftest import assert_error_shape
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/contracts/"),
        ("post", "/api/contracts/{c}/"),
        ("delete", "/api/documents/"),
        ("put", "/api/requests/"),
    ],
)
@pytest.mark.parametrize("who", ["owner", "accountant", "staff"])
def test_a_method_the_path_does_not_have_is_405_for_every_role(
    api_as, client_user, bok_staff, acme, acme_contract, method, path, who
):
    # given
    users = {
        "owner": client_user,
        "accountant": MembershipFactory(
            user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role=ClientMembership.Role.ACCOUNTANT
        ).user,
        "staff": bok_staff,
    }
    api = api_as(users[who])

    # when
    response = getattr(api, method)(path.format(c=acme_contract.pk), {}, format="json")

    # then
    body = assert_error_shape(response, 405)
    assert body["code"] == "method_not_allowed"


def test_a_method_the_path_has_is_still_refused_to_a_role_without_the_right(api_as, acme):
    # given: an accountant reads, never submits
    accountant = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role=ClientMembership.Role.ACCOUNTANT
    ).user

    # when
    response = api_as(accountant).post("/api/requests/", {}, format="json")

    # then
    assert assert_error_shape(response, 403)["code"] == "permission_denied"


def test_an_upload_without_the_multipart_boundary_reads_polish(api):
    # when
    response = api.post("/api/requests/attachments/", data=b"x", content_type="multipart/form-data")

    # then
    body = assert_error_shape(response, 400)
    assert body["code"] == "parse_error"
    assert (
        body["message"]
        == "Nie udało się odczytać przesłanego formularza: wyślij plik jako multipart/form-data."
    )
    assert "boundary" not in body["message"].lower()


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "7"])
def test_a_body_that_is_not_an_object_reads_polish_without_a_python_type(api, payload):
    # when
    response = api.post("/api/requests/", data=payload, content_type="application/json")

    # then
    body = assert_error_shape(response, 400)
    assert body["fields"] == {
        "non_field_errors": ["Niepoprawne dane: oczekiwano obiektu z polami formularza."]
    }


def test_a_list_field_given_text_reads_polish_without_a_python_type(api, acme_contract):
    # when
    response = api.post(
        "/api/messages/", {"subject": "Temat", "body": "Treść", "attachment_ids": "7"}, format="json"
    )

    # then
    body = assert_error_shape(response, 400)
    assert body["fields"]["attachment_ids"] == ["Oczekiwano tu listy wartości."]
