"""form_errors: the one way pages turn what a step refused into messages next to their inputs."""

from __future__ import annotations

from rest_framework import serializers

from backend.core.exceptions import PortalValidationError, TaskNotReady
from backend.requests_app.inputs import ReplyInputSerializer, StaffRejectInputSerializer
from portal_ui.error_summary import filled, form_errors, input_name


def test_nested_paths_name_the_pages_inputs():
    assert input_name("data.net_installments.3") == "data__net_installments"
    assert input_name("declarations.fees") == "declarations__fees"
    assert input_name("message") == "message"


def test_serializer_errors_land_on_their_inputs_and_form_wide_ones_on_the_form():
    serializer = ReplyInputSerializer(data={"attachment_ids": ["x"]})
    assert not serializer.is_valid()

    errors = form_errors(serializer.errors)

    assert set(errors) == {"message", "attachment_ids"}
    assert form_errors({"non_field_errors": ["Całość."]}) == {"form": ["Całość."]}


def test_a_drf_validation_error_is_read_like_the_serializers_errors():
    error = serializers.ValidationError({"data": {"payment_day": ["Wybierz dzień."]}})

    assert form_errors(error) == {"data__payment_day": ["Wybierz dzień."]}


def test_a_service_error_without_fields_is_a_form_message():
    assert form_errors(TaskNotReady()) == {"form": [TaskNotReady().message]}


def test_a_generic_service_message_is_left_out_when_its_fields_say_more():
    error = PortalValidationError(fields={"attachments": ["skan.exe: nieobsługiwany typ pliku."]})

    assert form_errors(error) == {"attachments": ["skan.exe: nieobsługiwany typ pliku."]}


def test_a_field_the_form_does_not_have_is_shown_on_the_form_once():
    # e.g. an approval the schedule can no longer take: the service names the `decision` field.
    error = PortalValidationError(
        "Raty zostały już zapłacone.", fields={"decision": ["Raty zostały już zapłacone."]}
    )

    assert form_errors(error, inputs={"reason", "attachment_ids"}) == {
        "form": ["Raty zostały już zapłacone."]
    }


def test_a_specific_service_message_is_kept_beside_its_fields():
    error = PortalValidationError("Załącznik jest już użyty.", fields={"attachment_ids": ["Nie istnieje."]})

    assert form_errors(error) == {"attachment_ids": ["Nie istnieje."], "form": ["Załącznik jest już użyty."]}


def test_blank_inputs_are_left_out_so_required_reads_required():
    serializer = StaffRejectInputSerializer(data=filled({"reason": "   "}))
    assert not serializer.is_valid()

    assert serializer.errors["reason"][0].code == "required"
    assert filled({"reason": " ok ", "answer": ""}) == {"reason": " ok "}
