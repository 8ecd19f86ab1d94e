"""Two posts of the same form at the same moment (a double click over a slow network): one row, and both
answers lead to it. Real threads on a file-based SQLite database (the in-memory test database cannot take
two writers), in a subprocess as tests/requests_app/test_staff_tasks.py runs its probe."""

from __future__ import annotations

from pathlib import Path

from tests.concurrency import run_probe


def test_each_writing_form_posted_twice_at_once_writes_once(tmp_path):
    # given a fresh database file, when a probe posts each form twice at once
    result = run_probe(Path(__file__).with_name("form_key_probe.py"), tmp_path)

    # then one thread, one comment, one reply, one duplicate; both answers of each lead to the same page
    assert (result["threads"], result["comments"], result["replies"], result["duplicates"]) == (1, 1, 1, 1)
    for form in ("new_message", "comment", "reply", "duplicate"):
        (first, second) = result[form]
        assert first == second, (form, result[form])
        assert first[0] == 302, (form, result[form])
