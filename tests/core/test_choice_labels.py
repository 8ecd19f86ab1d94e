"""get_FOO_display() through backend/core/choice_labels.py: Django's answer, without translating every label."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.hashable import make_hashable

from backend.core.choice_labels import ChoiceLabels
from backend.requests_app.models import PortalRequest, RequestStatus

PORTAL_PACKAGES = ("backend", "workflows", "notifications")


def _djangos_display(instance, field_name: str):
    """What Django's own Model._get_FIELD_display answers for the field's current value."""
    field = instance._meta.get_field(field_name)
    return models.Model._get_FIELD_display(instance, field)


def test_the_label_follows_the_language_active_at_the_call():
    portal_request = PortalRequest(status=RequestStatus.WAITING_FOR_CLIENT, kind="payment_date_change")
    with translation.override("pl"):
        polish = portal_request.get_status_display()
    with translation.override("en"):
        english = portal_request.get_status_display()
    assert english == "Waiting for the client's reply"
    assert polish == "Oczekuje na odpowiedź klienta"  # translated per call, not frozen at the first call


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_choice_field_of_the_portal_answers_as_django_does(language):
    """Each value of each choice field of every portal model, and a value with no label."""
    checked = 0
    with translation.override(language):
        for model in apps.get_models():
            if model.__module__.split(".")[0] not in PORTAL_PACKAGES:
                continue
            for field in model._meta.concrete_fields:
                if not field.choices:
                    continue
                for value in [*(value for value, _label in field.flatchoices), "no-such-value"]:
                    instance = model()
                    setattr(instance, field.attname, value)
                    ours = getattr(instance, f"get_{field.name}_display")()
                    assert ours == _djangos_display(instance, field.name), (model.__name__, field.name, value)
                    checked += 1
    assert checked > 100


def test_every_portal_model_with_choices_reads_labels_from_its_table():
    """A new model with a choice field gets the fast labels too (else each label costs ~30 µs a call)."""
    missing = [
        model.__name__
        for model in apps.get_models()
        if model.__module__.split(".")[0] in PORTAL_PACKAGES
        and any(field.choices for field in model._meta.concrete_fields)
        and not issubclass(model, ChoiceLabels)
    ]
    assert missing == []


def test_the_table_is_built_once_per_field(monkeypatch):
    calls = []
    original = make_hashable

    def counting(value):
        calls.append(value)
        return original(value)

    portal_request = PortalRequest(status=RequestStatus.IN_REVIEW)
    portal_request.get_status_display()  # the table exists from here on
    monkeypatch.setattr("backend.core.choice_labels.make_hashable", counting)
    for _ in range(5):
        portal_request.get_status_display()
    assert len(calls) == 5  # only the looked-up value, never the labels of the table
