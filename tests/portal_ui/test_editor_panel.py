"""What the flow editor's panel is given of a request type's contract (portal_ui/editor_panel.py): it
offers only what deploy accepts (workflows/contract.py)."""

from __future__ import annotations

from django.utils import translation

from portal_ui.editor_panel import editor_contract
from workflows.contract import CONTRACTS


def test_each_stage_has_its_contract_form_with_its_fields_in_the_pages_language():
    # when the panel's data of the payment day change is read in Polish and in English
    with translation.override("pl"):
        polish = editor_contract("payment_date_change")
    with translation.override("en"):
        english = editor_contract("payment_date_change")

    # then each user task of the contract names its form, and each form lists its fields
    assert polish["tasks"] == {
        "staff_review": {"lane": "Staff", "form": "payment_date_change/staff_review"},
        "client_reply": {"lane": "Client", "form": "payment_date_change/client_reply"},
    }
    reply = polish["forms"]["payment_date_change/client_reply"]
    assert reply["title"] == "Odpowiedź klienta"
    assert reply["fields"][0] == {
        "name": "message",
        "label": "Odpowiedź",
        "type": "tekst",
        "required": "always",
    }
    assert english["forms"]["payment_date_change/client_reply"]["title"] == "Reply to the question"
    # (a field an if/then rule of the schema requires is required with some answers only)
    review = {f["name"]: f for f in polish["forms"]["payment_date_change/staff_review"]["fields"]}
    assert review["decision"]["type"] == "wybór z listy"
    assert review["reason"]["required"] == "sometimes"
    assert review["comment"]["required"] == "no"


def test_the_timers_the_terms_fix_and_the_tables_a_type_needs_are_named():
    # then the 30-day cancel is fixed (deploy refuses another length), the reminder is not
    assert editor_contract("payment_date_change")["timers"] == {
        "cancel_timer": {"duration": "P30D", "days": 30}
    }
    # and the permit needs its decision table; a complaint's timers read dates, so none is fixed
    assert editor_contract("vehicle_abroad_permit")["decisions"] == ["vehicle_abroad_permit"]
    assert editor_contract("complaint")["timers"] == {}
    # and every declared type's forms exist (an unknown type gives nothing to offer)
    for key in CONTRACTS:
        assert all(form["fields"] for form in editor_contract(key)["forms"].values()), key
    assert editor_contract("no_such_type") == {
        "tasks": {},
        "forms": {},
        "decisions": [],
        "timers": {},
        "reminders": {},
    }


def test_the_reminder_to_the_client_carries_the_bounds_of_its_cycle():
    # the panel refuses at the field what deploy refuses (workflows/deploy_rules_timers.py)
    with translation.override("en"):
        reminders = editor_contract("payment_date_change")["reminders"]

    assert reminders == {
        "reminder_timer": {
            "maxRepeats": 10,
            "minSeconds": 86400,
            "rule": 'A repeating reminder to the client may repeat at most 10 times, at most once a day, e.g. "R3/P7D".',
        }
    }
