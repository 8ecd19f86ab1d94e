"""What the flow editor's panel is given of a request type's contract (portal_ui/editor_panel.py): it
offers only what deploy accepts (workflows/contract.py)."""

from __future__ import annotations

from django.utils import translation

from backend.requests_app.complaints import REPLY_MARGIN_DAYS
from portal_ui.editor_panel import editor_contract, timer_help
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
    # and the permit needs its decision table; a complaint's timers read dates, none has a fixed length
    assert editor_contract("vehicle_abroad_permit")["decisions"] == ["vehicle_abroad_permit"]
    assert all("duration" not in timer for timer in editor_contract("complaint")["timers"].values())
    # and every declared type's forms exist (an unknown type gives nothing to offer)
    for key in CONTRACTS:
        assert all(form["fields"] for form in editor_contract(key)["forms"].values()), key
    assert {**editor_contract("no_such_type"), "lanes": None} == {
        "lanes": None,
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


def test_the_complaints_reply_timer_carries_the_read_deploy_fixes_and_why():
    # when the panel's data of the complaint is read in English and in Polish
    with translation.override("en"):
        english = editor_contract("complaint")["timers"]
    with translation.override("pl"):
        polish = editor_contract("complaint")["timers"]

    # then its reply timer is fixed to the read deploy accepts (check_timer_reads), not deadline_at
    assert list(english) == ["reply_deadline_timer"]
    assert english["reply_deadline_timer"]["reads"] == 'complaint_clock["reply_by_at"]'
    # and the panel says what that date is, with the margin the complaint rules use, and that deploy holds it
    assert english["reply_deadline_timer"]["text"] == (
        'Fixed by the terms of this request type: the date is read from complaint_clock["reply_by_at"], the '
        f"moment the wait for the client's reply ends (the start of the day {REPLY_MARGIN_DAYS} days before the "
        "statutory deadline; the client is asked to reply by the day before). Deploy refuses another date, so "
        "it cannot be changed here."
    )
    assert polish["reply_deadline_timer"]["text"].startswith(
        'Ustalony w regulaminie tego rodzaju wniosku: data jest odczytywana z complaint_clock["reply_by_at"]'
    )
    assert f"{REPLY_MARGIN_DAYS} dni przed ustawowym terminem" in polish["reply_deadline_timer"]["text"]


def test_a_timers_help_says_only_what_is_true_of_the_type():
    with translation.override("en"):
        complaint = timer_help("complaint")
        payment = timer_help("payment_date_change")

    # a complaint reminds the client but is never cancelled
    assert complaint["duration"] == (
        "For example P14D (14 days) or PT12H (12 hours). The reminder to the client must come by day 14 of "
        "waiting for the reply (P14D or less)."
    )
    assert "cancelled" not in complaint["duration"]
    # its clock's read is offered on no timer but the one fixed to it (which says it): a reminder reading
    # complaint_clock["reply_by_at"] would come the moment the wait ends
    assert complaint["date"] == "A date and time with its time zone, for example 2027-01-31T09:00:00+01:00."
    assert "complaint_clock" not in complaint["date"] + complaint["date_invalid"]
    # a type with the fixed cancel says it; its data has no dates, so no read is offered as an example
    assert payment["duration"].endswith(
        "The request is cancelled after exactly 30 days of waiting for the reply (P30D)."
    )
    assert "by day 14" in payment["duration"]
    assert payment["date"] == "A date and time with its time zone, for example 2027-01-31T09:00:00+01:00."
    assert (
        payment["date_invalid"]
        == "Enter a date and time with its time zone, such as 2027-01-31T09:00:00+01:00."
    )


def test_the_lanes_are_named_in_the_pages_language():
    # when the panel's data is read in Polish and in English (a type deploy does not know too)
    with translation.override("pl"):
        polish = editor_contract("complaint")["lanes"]
        unknown = editor_contract("no_such_type")["lanes"]
    with translation.override("en"):
        english = editor_contract("complaint")["lanes"]

    # then each lane the diagram names as deploy requires has the word the portal uses for it
    assert polish == {"Client": "Klient", "Staff": "BOK", "System": "System"}
    assert unknown == polish
    assert english == {"Client": "Client", "Staff": "Staff", "System": "System"}
