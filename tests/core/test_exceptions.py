"""The one error shape, in the user's language."""

from django.utils import translation
from rest_framework import serializers

from backend.core.exceptions import Conflict, portal_exception_handler


def test_conflict_is_409_with_a_polish_message_by_default():
    # given / when
    with translation.override("pl"):
        response = portal_exception_handler(Conflict(), {})

    # then
    assert response.status_code == 409
    assert response.data["code"] == "conflict"
    assert response.data["message"].startswith("Ktoś inny właśnie zmienił")
    assert response.data["fields"] == {}


def test_conflict_message_in_english_when_chosen():
    with translation.override("en"):
        response = portal_exception_handler(Conflict(), {})

    assert response.data["message"].startswith("Someone else has just changed")


def test_drf_validation_errors_become_field_messages():
    # given
    error = serializers.ValidationError(
        {"contact": {"email": ["Enter a valid e-mail."]}, "note": "Too long."}
    )

    # when
    with translation.override("pl"):
        response = portal_exception_handler(error, {})

    # then
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["message"] == "Popraw zaznaczone pola."
    assert response.data["fields"] == {"contact.email": ["Enter a valid e-mail."], "note": ["Too long."]}
