"""A request still with staff past its working-day due time mails its assignee (or, unassigned, the
team's address) once per due time: never once per sweep, again only after a new due time, and also for a
due time that passed while beat or the worker was down."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from backend.core.models import OutboxEvent
from backend.requests_app.models import PortalRequest
from backend.requests_app.overdue import escalate_overdue_requests
from backend.requests_app.selectors_dashboard import staff_work
from notifications.models import Delivery
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW)  # due Monday 7.12.2026, 17:00
DUE = datetime(2026, 12, 7, 17, 0, tzinfo=WARSAW)


def submit_other(api) -> int:
    body = submission("other_request", data={"subject": "Polisa", "message": "Proszę o kopię polisy."})
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def sweep(capture, now: datetime, *, limit: int = 200) -> int:
    with capture(execute=True):
        return escalate_overdue_requests(now=now, limit=limit)


def overdue_mails(address: str) -> list:
    return [m for m in mail.outbox if address in m.to and "po terminie obsługi" in m.subject]


def test_the_assignee_is_mailed_once_when_the_due_time_passes(
    api_as, client_user, bok_staff, settings, django_capture_on_commit_callbacks
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as traveller:
        request_id = submit_other(api_as(client_user))
        assert api_as(bok_staff).post(f"/api/staff/requests/{request_id}/claim/").status_code == 200
        mail.outbox.clear()

        # before the due time nobody is told
        traveller.move_to(datetime(2026, 12, 7, 16, 59, tzinfo=WARSAW))
        assert sweep(django_capture_on_commit_callbacks, datetime(2026, 12, 7, 16, 59, tzinfo=WARSAW)) == 0

        # once it has passed the assignee gets one e-mail, which names the request, client and due time
        traveller.move_to(datetime(2026, 12, 7, 17, 5, tzinfo=WARSAW))
        assert sweep(django_capture_on_commit_callbacks, datetime(2026, 12, 7, 17, 5, tzinfo=WARSAW)) == 1
        (sent,) = overdue_mails(bok_staff.email)
        body = " ".join(sent.body.split())
        assert "07.12.2026 17:00" in body and f"/staff/tasks/{request_id}/" in body
        assert client_user.email not in {address for m in mail.outbox for address in m.to}

        # and the next sweeps, that day and the next, tell nobody again
        for later in (
            datetime(2026, 12, 7, 17, 10, tzinfo=WARSAW),
            datetime(2026, 12, 8, 9, 0, tzinfo=WARSAW),
        ):
            traveller.move_to(later)
            assert sweep(django_capture_on_commit_callbacks, later) == 0
        assert len(overdue_mails(bok_staff.email)) == 1
        assert OutboxEvent.objects.filter(kind="request.staff_overdue", subject_id=request_id).count() == 1


def test_an_unassigned_request_mails_the_team_address(
    api_as, client_user, settings, django_capture_on_commit_callbacks
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    settings.CUSTOMER_SERVICE_EMAIL = "zespol-bok@leasing.example"
    with time_machine.travel(MONDAY, tick=False) as traveller:
        submit_other(api_as(client_user))
        mail.outbox.clear()

        traveller.move_to(datetime(2026, 12, 8, 9, 0, tzinfo=WARSAW))
        assert sweep(django_capture_on_commit_callbacks, datetime(2026, 12, 8, 9, 0, tzinfo=WARSAW)) == 1

        (sent,) = overdue_mails("zespol-bok@leasing.example")
        assert "zespół Biura Obsługi Klienta" in " ".join(sent.body.split())


def test_a_new_due_time_is_told_again_and_a_decided_request_is_not(
    api_as, client_user, bok_staff, settings, django_capture_on_commit_callbacks
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as traveller:
        request_id = submit_other(api_as(client_user))
        api_as(bok_staff).post(f"/api/staff/requests/{request_id}/claim/")
        traveller.move_to(datetime(2026, 12, 8, 9, 0, tzinfo=WARSAW))
        assert sweep(django_capture_on_commit_callbacks, datetime(2026, 12, 8, 9, 0, tzinfo=WARSAW)) == 1

        # staff ask the client, who answers on Tuesday 8.12: a new due time, Tuesday 15.12, 17:00
        asked = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/ask-client/", {"question": "Numer polisy?"}, format="json"
        )
        assert asked.status_code == 200, asked.json()
        replied = api_as(client_user).post(f"/api/requests/{request_id}/reply/", {"message": "PL-123"})
        assert replied.status_code == 200, replied.json()
        mail.outbox.clear()
        traveller.move_to(datetime(2026, 12, 15, 17, 1, tzinfo=WARSAW))
        assert sweep(django_capture_on_commit_callbacks, datetime(2026, 12, 15, 17, 1, tzinfo=WARSAW)) == 1
        assert len(overdue_mails(bok_staff.email)) == 1

        # an event whose request was decided before its e-mail went sends nothing
        event = OutboxEvent.objects.filter(kind="request.staff_overdue", subject_id=request_id).last()
        Delivery.objects.filter(event=event).update(status=Delivery.Status.PENDING)
        approved = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/approve/",
            {"answer": "Przesyłamy kopię polisy."},
            format="json",
        )
        assert approved.status_code == 200, approved.json()
        from notifications import services

        mail.outbox.clear()
        services.send_deliveries(
            delivery_ids=list(Delivery.objects.filter(event=event).values_list("pk", flat=True))
        )
        assert overdue_mails(bok_staff.email) == []
        assert Delivery.objects.get(event=event).status == Delivery.Status.SKIPPED


def test_beat_runs_the_overdue_sweep_every_five_minutes():
    from backend.config.celery import app
    from backend.requests_app.tasks import escalate_overdue_requests_task

    entry = app.conf.beat_schedule["requests-escalate-overdue"]
    assert (entry["task"], entry["schedule"]) == (escalate_overdue_requests_task.name, 300.0)
    assert escalate_overdue_requests_task.delay().get() == 0


def test_the_first_sweep_after_a_deploy_mails_only_what_just_went_past_due(
    api_as, client_user, settings, django_capture_on_commit_callbacks
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    settings.CUSTOMER_SERVICE_EMAIL = "zespol-bok@leasing.example"
    with time_machine.travel(MONDAY, tick=False) as traveller:
        # given one request past due for weeks (its due time from the old calendar-day rule) and one whose
        # due time, Monday 7.12 17:00, has just passed when the sweep first runs
        stale = submit_other(api_as(client_user))
        fresh = submit_other(api_as(client_user))
        PortalRequest.objects.filter(pk=stale).update(
            staff_due_at=datetime(2026, 11, 6, 17, 0, tzinfo=WARSAW)
        )
        mail.outbox.clear()
        first_run = datetime(2026, 12, 7, 17, 5, tzinfo=WARSAW)
        traveller.move_to(first_run)

        # when beat runs the sweep, and again five minutes later
        told = [
            sweep(django_capture_on_commit_callbacks, first_run),
            sweep(django_capture_on_commit_callbacks, datetime(2026, 12, 7, 17, 10, tzinfo=WARSAW)),
        ]

    # then only the fresh one is mailed, once; the stale one stays overdue for the task list and dashboard
    assert told == [1, 0]
    (sent,) = overdue_mails("zespol-bok@leasing.example")
    assert PortalRequest.objects.get(pk=fresh).number in sent.subject + sent.body
    assert not OutboxEvent.objects.filter(kind="request.staff_overdue", subject_id=stale).exists()
    with time_machine.travel(first_run, tick=False):
        assert staff_work(user=client_user).overdue == 2


def test_the_e_mail_window_is_a_setting(api_as, client_user, settings, django_capture_on_commit_callbacks):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    settings.REQUEST_STAFF_OVERDUE_EMAIL_WINDOW_HOURS = 2
    with time_machine.travel(MONDAY, tick=False) as traveller:
        submit_other(api_as(client_user))
        # three hours past the due time is already older than a 2-hour window: not news any more
        late = datetime(2026, 12, 7, 20, 0, tzinfo=WARSAW)
        traveller.move_to(late)
        assert sweep(django_capture_on_commit_callbacks, late) == 0


def test_due_times_that_passed_while_beat_was_down_are_mailed_once_it_is_back(
    api_as, client_user, settings, django_capture_on_commit_callbacks
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    settings.CUSTOMER_SERVICE_EMAIL = "zespol-bok@leasing.example"
    with time_machine.travel(MONDAY, tick=False) as traveller:
        # given a request due Friday 4.12 17:00, told that evening, and one due Monday 7.12 17:00; beat ran
        # the sweep until Saturday 18:00 and then stopped for three days
        told_on_friday = submit_other(api_as(client_user))
        due_in_the_outage = submit_other(api_as(client_user))
        PortalRequest.objects.filter(pk=told_on_friday).update(
            staff_due_at=datetime(2026, 12, 4, 17, 0, tzinfo=WARSAW)
        )
        before = []
        for moment in (
            datetime(2026, 12, 4, 17, 5, tzinfo=WARSAW),
            datetime(2026, 12, 5, 18, 0, tzinfo=WARSAW),
        ):
            traveller.move_to(moment)
            before.append(sweep(django_capture_on_commit_callbacks, moment))
        mail.outbox.clear()

        # when it is back on Tuesday 8.12 at 18:00, 25 hours after that due time, and five minutes later
        back = datetime(2026, 12, 8, 18, 0, tzinfo=WARSAW)
        told = []
        for moment in (back, back + timedelta(minutes=5)):
            traveller.move_to(moment)
            told.append(sweep(django_capture_on_commit_callbacks, moment))

    # then the due time that passed in the outage is mailed, once, and Friday's is not mailed again
    assert before == [1, 0]
    assert told == [1, 0]
    (sent,) = overdue_mails("zespol-bok@leasing.example")
    assert PortalRequest.objects.get(pk=due_in_the_outage).number in sent.subject + sent.body
    assert OutboxEvent.objects.filter(kind="request.staff_overdue", subject_id=told_on_friday).count() == 1


def test_a_run_that_hits_its_limit_leaves_the_rest_to_the_next_run(
    api_as, client_user, settings, django_capture_on_commit_callbacks
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    settings.CUSTOMER_SERVICE_EMAIL = "zespol-bok@leasing.example"
    with time_machine.travel(MONDAY, tick=False) as traveller:
        # given three due times that passed while beat was down after Thursday's last sweep: two on Friday
        # 4.12 17:00, one on Monday 7.12 17:00, all over 24 hours old when it is back
        requests = [submit_other(api_as(client_user)) for _ in range(3)]
        PortalRequest.objects.filter(pk__in=requests[:2]).update(
            staff_due_at=datetime(2026, 12, 4, 17, 0, tzinfo=WARSAW)
        )
        thursday = datetime(2026, 12, 3, 17, 5, tzinfo=WARSAW)
        traveller.move_to(thursday)
        assert sweep(django_capture_on_commit_callbacks, thursday) == 0

        # when the sweep, one e-mail a run, runs four times five minutes apart from Tuesday 18:00
        told = []
        for minutes in (0, 5, 10, 15):
            moment = datetime(2026, 12, 8, 18, minutes, tzinfo=WARSAW)
            traveller.move_to(moment)
            told.append(sweep(django_capture_on_commit_callbacks, moment, limit=1))

    # then each run mails the next one: none is lost to the limit, none is mailed twice
    assert told == [1, 1, 1, 0]
    numbers = sorted(
        number
        for number in PortalRequest.objects.filter(pk__in=requests).values_list("number", flat=True)
        for sent in overdue_mails("zespol-bok@leasing.example")
        if number in sent.subject + sent.body
    )
    assert numbers == sorted(PortalRequest.objects.filter(pk__in=requests).values_list("number", flat=True))


def test_a_due_time_written_already_past_is_still_mailed_within_the_window(
    api_as, client_user, settings, django_capture_on_commit_callbacks
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as traveller:
        request_id = submit_other(api_as(client_user))
        noon = datetime(2026, 12, 7, 12, 0, tzinfo=WARSAW)
        traveller.move_to(noon)
        assert sweep(django_capture_on_commit_callbacks, noon) == 0

        # given a due time written after that run but before its moment (a complaint's deadline caps it)
        PortalRequest.objects.filter(pk=request_id).update(
            staff_due_at=datetime(2026, 12, 7, 11, 0, tzinfo=WARSAW)
        )

        # when the next run comes, then it is told all the same
        traveller.move_to(noon + timedelta(minutes=5))
        assert sweep(django_capture_on_commit_callbacks, noon + timedelta(minutes=5)) == 1
