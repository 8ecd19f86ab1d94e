"""A complaint's question to the client leaves staff time to answer by the statutory deadline: the wait ends
5 days before it, a question that would leave the client fewer than 3 days is refused (beside the field,
with what to do instead), an extension moves the window; the flow's timer must read that window, and a
request whose data lacks it is not moved onto a version whose timer reads it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation

from backend.core.exceptions import PortalValidationError
from backend.requests_app.models import ComplaintClock, PortalRequest, RequestEvent
from backend.requests_app.version_moves import migrate_instance
from tests.complaint_helpers import at_day, clock, event_kinds, submit_complaint
from tests.request_helpers import ask_client
from workflows import versioning
from workflows.services import deploy_bpmn_version

pytestmark = pytest.mark.django_db

XML = (Path(settings.BASE_DIR) / "bpmn" / "complaint.bpmn").read_text(encoding="utf-8")


def forget_reply_window(state) -> int:
    """Drop `reply_by_at` from every `complaint_clock` in a stored state, as a version before it kept it."""
    if isinstance(state, list):
        return sum(forget_reply_window(item) for item in state)
    if not isinstance(state, dict):
        return 0
    clock = state.get("complaint_clock")
    dropped = int(isinstance(clock, dict) and clock.pop("reply_by_at", None) is not None)
    return dropped + sum(forget_reply_window(value) for value in state.values())


def extend(api, request_id: int, new_deadline: str):
    return api.post(
        f"/api/staff/requests/{request_id}/extend-deadline/",
        {"new_deadline": new_deadline, "extension_reason": "Czekamy na opinię rzeczoznawcy."},
        format="json",
    )


def test_a_question_is_asked_while_the_client_keeps_three_days_and_refused_after(
    api_as, client_user, bok_staff
):
    # the complaint is due by 24.12.2026 (day 30): a client asked is told to reply by 18.12 (day 24)
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        request_id = submit_complaint(api_as(client_user))["id"]
        assert clock(api_as(bok_staff), request_id, staff=True)["reply_by"] == "2026-12-18"

        # on day 22 (16.12) the client would have 2 days: refused beside the question, nothing changes
        traveller.move_to(at_day(22, hour=9))
        refused = ask_client(api_as(bok_staff), request_id)
        assert refused.status_code == 400, refused.json()
        body = refused.json()
        assert body["code"] == "invalid"
        (message,) = body["fields"]["question"]
        assert message.startswith(
            "Za późno na pytanie do klienta: reklamację trzeba rozpatrzyć do 24.12.2026"
        )
        assert "do 18.12.2026" in message and "najpóźniej do 23.01.2027" in message
        assert PortalRequest.objects.get(pk=request_id).status == "in_review"
        assert RequestEvent.Kind.QUESTION not in event_kinds(request_id)

        # day 21 (15.12) leaves 3 days: asked
        traveller.move_to(at_day(21, hour=9))
        asked = ask_client(api_as(bok_staff), request_id)
        assert asked.status_code == 200, asked.json()
        assert asked.json()["status"] == "waiting_for_client"


def test_an_extension_moves_the_reply_window_and_at_60_days_only_an_answer_is_left(
    api_as, client, client_user, bok_staff
):
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        request_id = submit_complaint(api_as(client_user))["id"]
        traveller.move_to(at_day(25, hour=9))
        assert ask_client(api_as(bok_staff), request_id).status_code == 400

        # extended to 23.01.2027 (day 60, the latest): a client asked now replies by 17.01.2027
        assert extend(api_as(bok_staff), request_id, "2027-01-23").status_code == 200
        asked = ask_client(api_as(bok_staff), request_id)
        assert asked.status_code == 200, asked.json()
        client.force_login(client_user)
        page = client.get(f"/requests/{request_id}/").content.decode()
        assert "Prosimy o odpowiedź do 17.01.2027: po tym dniu odpowiemy" in page

        # the client replies; a second question late in the 60 days cannot be made up by an extension
        replied = api_as(client_user).post(
            f"/api/requests/{request_id}/reply/", {"message": "Opinia w załączeniu."}
        )
        assert replied.status_code == 200, replied.json()
        traveller.move_to(at_day(56, hour=9))
        refused = ask_client(api_as(bok_staff), request_id)
        assert refused.status_code == 400
        (message,) = refused.json()["fields"]["question"]
        assert "najpóźniej, jak pozwala ustawa" in message
        assert message.endswith("Odpowiedz na podstawie posiadanych informacji.")
        assert "przedłuż" not in message.lower()
        assert ComplaintClock.objects.get(request_id=request_id).deadline == date(2027, 1, 23)


def test_the_task_page_says_until_when_the_client_may_reply_and_refuses_a_late_question_beside_it(
    api_as, client, client_user, bok_staff
):
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        request_id = submit_complaint(api_as(client_user))["id"]
        client.force_login(bok_staff)
        page = client.get(f"/staff/tasks/{request_id}/").content.decode()
        form = page[page.index('id="form-ask"') : page.index("</form>", page.index('id="form-ask"'))]
        assert 'aria-describedby="ask-question-help"' in form
        assert (
            "Klient zostanie poproszony o odpowiedź do 18.12.2026; jeśli nie odpowie, reklamacja wróci do Ciebie "
            "następnego dnia, 5 dni przed terminem ustawowym." in form
        )

        # too late: the line warns before anyone types, and a question sent anyway is refused beside the field
        traveller.move_to(at_day(23, hour=9))
        client.force_login(bok_staff)  # a new session: the first one has expired since
        page = client.get(f"/staff/tasks/{request_id}/").content.decode()
        form = page[page.index('id="form-ask"') : page.index("</form>", page.index('id="form-ask"'))]
        assert "warning-text" in form and "Za późno na pytanie do klienta" in form
        sent = client.post(f"/staff/tasks/{request_id}/ask/", {"question": "Czy ma Pan oryginał faktury?"})
        assert sent.status_code == 400
        page = sent.content.decode()
        field = page[page.index('id="ask-question"') : page.index("</form>", page.index('id="ask-question"'))]
        assert "Czy ma Pan oryginał faktury?</textarea>" in field
        assert 'id="err-ask-question"' in field and "Za późno na pytanie do klienta" in field
        # said once: the refusal, not the warning above it again
        assert field.count("Za późno na pytanie do klienta") == 1 and "warning-text" not in field
        assert PortalRequest.objects.get(pk=request_id).status == "in_review"


def test_the_reply_timer_must_read_the_reply_window_not_the_deadline():
    old = "complaint_clock[&quot;reply_by_at&quot;]"
    assert XML.count(old) == 1
    waits_for_the_deadline = XML.replace(old, "complaint_clock[&quot;deadline_at&quot;]")
    with translation.override("en"), pytest.raises(PortalValidationError) as refused:
        deploy_bpmn_version(xml=waits_for_the_deadline, process_key="complaint")
    (message,) = refused.value.fields["reply_deadline_timer"]
    assert (
        'must take its date from complaint_clock["reply_by_at"], not complaint_clock["deadline_at"]'
        in message
    )


def test_a_request_whose_data_lacks_the_reply_window_is_not_moved_onto_a_version_reading_it(
    api_as, client_user, bok_staff, analyst
):
    with time_machine.travel(at_day(0, hour=10), tick=False):
        kept = submit_complaint(api_as(client_user))["id"]
        older = submit_complaint(api_as(client_user))["id"]
        # the older one started on a version that kept no reply window in its clock
        instance = PortalRequest.objects.get(pk=older).process_instance
        assert forget_reply_window(instance.state) > 0
        instance.save(update_fields=["state"])
        v2 = deploy_bpmn_version(
            xml=XML.replace('name="Weryfikacja przez BOK"', 'name="Weryfikacja reklamacji przez BOK"'),
            by=analyst,
            process_key="complaint",
        )

        rows = {
            row["instance_id"]: row
            for row in versioning.dry_run(
                to_version=v2,
                instances=[PortalRequest.objects.get(pk=pk).process_instance for pk in (kept, older)],
            )
        }
        kept_row, older_row = rows[PortalRequest.objects.get(pk=kept).process_instance_id], rows[instance.pk]
        assert kept_row["can_move"] is True, kept_row
        assert older_row["can_move"] is False
        assert older_row["element_id"] == "reply_deadline_timer"
        assert 'complaint_clock["reply_by_at"]' in older_row["reason"]
        with pytest.raises(PortalValidationError):
            migrate_instance(instance_id=instance.pk, to_version=v2, by=analyst)
        instance.refresh_from_db()
        assert instance.process_version.number == 1


def test_a_reminder_due_after_the_wait_ends_is_not_promised(api_as, client_user, bok_staff):
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        early = submit_complaint(api_as(client_user))["id"]
        late = submit_complaint(api_as(client_user))["id"]
        # asked on day 0: the day-14 reminder comes within the wait (reply by day 24)
        assert ask_client(api_as(bok_staff), early).status_code == 200
        wait = api_as(bok_staff).get(f"/api/staff/requests/{early}/").json()["client_wait"]
        assert wait["reminder_at"] is not None
        # asked on day 15: its day-14 reminder would come on day 29, after the wait has ended on day 25
        traveller.move_to(at_day(15, hour=10))
        assert ask_client(api_as(bok_staff), late).status_code == 200
        staff_api = api_as(bok_staff)
        wait = staff_api.get(f"/api/staff/requests/{late}/").json()["client_wait"]
        assert wait["reminder_at"] is None
        assert wait["reply_by_day"] == "2026-12-18"
        page_client = Client()
        page_client.force_login(bok_staff)
        page = page_client.get(f"/staff/tasks/{late}/").content.decode()
        assert 'id="reminder-at"' not in page
        assert "bez odpowiedzi: powrót do BOK" in page
