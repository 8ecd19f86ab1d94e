"""The flow editor's words for a timer's fixed read come from the reason the type's contract names
(TimerContract.fixed_read_reason), not from comparing the read with one known string."""

from __future__ import annotations

from dataclasses import replace

from django.utils import translation

from backend.requests_app.complaints import REPLY_MARGIN_DAYS
from portal_ui.editor_panel import fixed_read_text
from workflows.contract import COMPLAINT_REPLY_DEADLINE_TIMER, FixedReadReason, TimerContract, get_contract

WAIT_END = "the moment the wait for the client's reply ends"


def test_the_complaints_reply_timer_names_why_its_read_is_fixed():
    (timer,) = [t for t in get_contract("complaint").timers if t.event_id == COMPLAINT_REPLY_DEADLINE_TIMER]

    assert timer.fixed_read_reason == FixedReadReason.CLIENT_REPLY_WAIT_END


def test_the_panel_words_the_reason_whatever_the_read():
    # given: a timer whose terms fix another read, for the same reason
    timer = TimerContract(
        "reply_deadline_timer",
        "client_reply",
        interrupting=True,
        reads='reply_clock["ends_at"]',
        fixed_read_reason=FixedReadReason.CLIENT_REPLY_WAIT_END,
    )

    with translation.override("en"):
        explained = fixed_read_text(timer)
        bare = fixed_read_text(replace(timer, fixed_read_reason=None))

    # then the reason is worded with its read; without a reason only the read is named
    assert 'read from reply_clock["ends_at"], ' + WAIT_END in explained
    assert f"{REPLY_MARGIN_DAYS} days before the statutory deadline" in explained
    assert bare == (
        'Fixed by the terms of this request type: the date is read from reply_clock["ends_at"]. Deploy refuses '
        "another date, so it cannot be changed here."
    )
