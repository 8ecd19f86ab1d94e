"""The one reader of a complaint's no-reply history row (complaints.no_reply_dates): its two dates, parsed
once, for the notification of the return to staff and for the refusal of a late reply."""

from __future__ import annotations

from datetime import date

from backend.requests_app.complaints import NoReplyDates, no_reply_dates
from backend.requests_app.models import RequestEvent

WRITTEN = {"reply_by": "2026-12-18", "deadline": "2026-12-24", "message_en": "No reply came by 18.12.2026"}


def test_a_no_reply_row_gives_its_two_dates():
    row = RequestEvent(kind=RequestEvent.Kind.NO_REPLY, data=WRITTEN)

    assert no_reply_dates(row) == NoReplyDates(reply_by=date(2026, 12, 18), deadline=date(2026, 12, 24))


def test_the_dates_keep_the_rows_data_keys():
    dates = NoReplyDates(reply_by=date(2026, 12, 18), deadline=date(2026, 12, 24))

    assert dates.as_data() == {"reply_by": "2026-12-18", "deadline": "2026-12-24"}
    assert no_reply_dates(RequestEvent(kind=RequestEvent.Kind.NO_REPLY, data=dates.as_data())) == dates


def test_a_row_without_both_dates_or_of_another_kind_gives_none():
    no_reply = RequestEvent.Kind.NO_REPLY
    assert no_reply_dates(RequestEvent(kind=no_reply, data={})) is None
    assert no_reply_dates(RequestEvent(kind=no_reply, data=None)) is None
    assert no_reply_dates(RequestEvent(kind=no_reply, data={"reply_by": "2026-12-18"})) is None
    assert no_reply_dates(RequestEvent(kind=no_reply, data={"reply_by": "18.12", "deadline": "x"})) is None
    assert no_reply_dates(RequestEvent(kind=RequestEvent.Kind.QUESTION, data=WRITTEN)) is None
    assert no_reply_dates(None) is None
