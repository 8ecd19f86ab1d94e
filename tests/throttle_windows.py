"""The clock the rate-limit tests stand on: the limits count in fixed windows (a minute, an hour), and a test
that crossed a boundary between two calls saw the count start again (CI failed at 22:31:59.9)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine


@pytest.fixture(autouse=True)
def still_clock_at_a_window_start():
    """Imported by a test module, it stands that module's clock at second 5 of the current hour."""
    start = datetime.now(tz=UTC).replace(minute=0, second=5, microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        yield clock
