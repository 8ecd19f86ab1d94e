"""A deploy rule names a lane as the editor does (Klient / BOK / System) and, where the XML calls it
otherwise, by that name too, so the analyst finds it in the element list and in the diagram's XML."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.workflows_deploy.test_deploy_refusals import PAYMENT_XML, refusal

pytestmark = pytest.mark.django_db


def _swapped_lanes() -> str:
    """payment_date_change with its staff task in the Client lane and its client task in the Staff lane."""
    return (
        PAYMENT_XML.replace("<bpmn:flowNodeRef>client_reply</bpmn:flowNodeRef>", "<x-client/>")
        .replace(
            "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>",
            "<bpmn:flowNodeRef>client_reply</bpmn:flowNodeRef>",
        )
        .replace("<x-client/>", "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>")
    )


def test_polish_refusal_names_the_lane_by_the_editors_word_and_its_xml_name():
    # given a flow whose staff and client tasks swapped lanes, deployed by a Polish analyst
    with translation.override("pl"):
        fields = refusal(_swapped_lanes())

    # then each task's message names its lane as the editor shows it, with the XML's name beside it
    assert fields["staff_review"][0] == "Zadanie użytkownika musi leżeć w torze BOK (Staff)."
    assert fields["client_reply"][0] == "Zadanie użytkownika musi leżeć w torze Klient (Client)."


def test_english_refusal_names_the_lane_once():
    # given the same flow deployed by an English-speaking analyst: the editor's word is the XML's name
    with translation.override("en"):
        fields = refusal(_swapped_lanes())

    # then the lane is named once
    assert fields["staff_review"][0] == "The user task must lie in the Staff lane."
