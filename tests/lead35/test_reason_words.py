"""One registry names a stored message's parameters (workflows.reason_words): the outcomes in every
message, read by incidents and test runs alike; an app's namer for its own message's parameter."""

from __future__ import annotations

import pytest
from django.utils import translation

from workflows import reason_words
from workflows.simulation_labels import path_reason


@pytest.fixture
def namers(monkeypatch):
    monkeypatch.setattr(reason_words, "_namers", dict(reason_words._namers))


def test_an_outcome_is_named_in_any_message_and_a_stage_id_stays():
    with translation.override("pl"):
        text = reason_words.reason_text(
            "%(stage)s → %(outcome)s", {"stage": "EndEvent_1", "outcome": "approved"}
        )
    assert text == "EndEvent_1 → „zatwierdzony” (approved)"


def test_a_messages_own_namer_comes_before_the_one_for_every_message(namers):
    reason_words.register_param_namer("%(outcome)s!", "outcome", str.upper)
    with translation.override("pl"):
        assert reason_words.reason_text("%(outcome)s!", {"outcome": "approved"}) == "APPROVED!"
        assert (
            reason_words.reason_text("%(outcome)s?", {"outcome": "approved"}) == "„zatwierdzony” (approved)?"
        )


def test_a_stored_test_runs_reason_names_its_outcome_in_the_readers_language():
    stored = {"reason_id": "ended %(actual)s", "reason_params": {"actual": "rejected"}}
    with translation.override("en"):
        assert path_reason(stored) == "ended “rejected”"
    with translation.override("pl"):
        assert path_reason(stored) == "ended „odrzucony” (rejected)"
