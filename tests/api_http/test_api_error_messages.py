"""Errors a Polish session reads: DRF's messages its catalogue lacks are translated, its internals are
replaced, and a body over the limit is 413, each in the error shape."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.api_http.conftest import assert_error_shape
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


def test_a_body_that_is_not_json_says_so_without_the_parsers_words(api):
    response = api.post("/api/requests/", data="not json", content_type="application/json")

    body = assert_error_shape(response, 400)
    assert body["code"] == "parse_error"
    assert body["message"] == "Treść żądania nie jest poprawnym JSON-em."


def test_a_null_body_is_no_data_in_polish(api):
    body = assert_error_shape(api.post("/api/requests/", data="null", content_type="application/json"), 400)
    assert body["fields"] == {
        "non_field_errors": ["Nie przesłano danych: treść żądania jest pusta lub ma wartość null."]
    }


def test_a_text_field_given_an_object_reads_polish(api):
    response = api.post(
        "/api/messages/", {"subject": {"a": 1}, "body": "x", "category": "other"}, format="json"
    )

    body = assert_error_shape(response, 400)
    assert body["fields"]["subject"] == ["To nie jest poprawny tekst."]


def test_a_malformed_task_id_reads_polish(api, api_as, bok_staff):
    # A request waiting for the client: another one's reply is refused by its state first (409 / 404).
    body = submission("other_request", data={"subject": "Pytanie", "message": "Treść"})
    request_id = api.post("/api/requests/", body, format="json").json()["id"]
    api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Skan?"}, format="json"
    )

    response = api.post(
        f"/api/requests/{request_id}/reply/", {"message": "Odpowiedź", "task_id": "bad"}, format="json"
    )

    body = assert_error_shape(response, 400)
    assert body["fields"]["task_id"] == ["Wpisz poprawny identyfikator UUID."]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_body_over_the_limit_is_413_in_the_error_shape(api):
    response = api.post("/api/requests/", data='{"a": "' + "x" * 2048 + '"}', content_type="application/json")

    body = assert_error_shape(response, 413)
    assert body["code"] == "too_large"
    assert body["message"] == "Żądanie jest za duże: najwyżej 0.000976562 MB poza załączonymi plikami."


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_form_body_over_the_limit_is_413_too(csrf_api):
    # A form body is read by the CSRF check, before the view's own parsing: the same answer.
    csrf_api.cookies["csrftoken"] = "a" * 32

    response = csrf_api.post("/api/messages/", data={"body": "x" * 2048}, HTTP_X_CSRFTOKEN="a" * 32)

    assert assert_error_shape(response, 413)["code"] == "too_large"
