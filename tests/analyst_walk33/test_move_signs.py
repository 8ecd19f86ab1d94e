"""The dry run of a move (the migration form's row, the list's cell) writes an added and a removed element
alike: the sign, a space that does not break, the name ("+ „Name”", "− „Name”"), as the versions' diff
does; was "+„Name”" and "−„Name”", the sign glued to the quote. In the form's column each change is a
line of its own (a list, as the timers' columns beside it), not one run of text a phone wraps anywhere."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.logged_in_clients import logged_in
from tests.portal_ui.test_flow_migration import submit_request
from tests.workflows.test_services import PAYMENT_XML, store_untested_version
from workflows import versioning
from workflows.models import ProcessVersion

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"
LIST = f"/analyst/flows/{KEY}/migrations/"
NBSP = "&nbsp;"  # as the template writes it
REMOVED = "„Oczekuje na odpowiedź klienta”"
ADDED = "„Odpowiedź klienta”"


def replaced_task_version() -> ProcessVersion:
    """Version 2: the client's reply under another id and name (one user task removed, one added, both
    after the review the request waits at, so the request can move)."""
    xml = PAYMENT_XML.replace('"client_reply"', '"client_answer"').replace(
        'name="Oczekuje na odpowiedź klienta"', 'name="Odpowiedź klienta"'
    )
    return store_untested_version(xml)


def test_the_move_form_and_the_list_sign_added_and_removed_tasks_alike(analyst, client_user, acme):
    # given a request waiting for the review on version 1, and a version 2 replacing a later user task
    waiting = submit_request(client_user, acme)
    v2 = replaced_task_version()
    browser = logged_in(Client(), analyst)

    # when the analyst reads the request's move form, and the list once version 2 is current
    form = browser.get(f"{LIST}{waiting.process_instance_id}/").content.decode()
    versioning.make_current(version=v2, action=versioning.Activation.ROLLBACK)
    listed = browser.get(LIST).content.decode()

    # then both name the added and the removed task the same way: sign, no-break space, name
    row = form.split('data-testid="dry-run-v2"', 1)[1].split("</tr>", 1)[0]
    cell = listed.split(f'data-testid="dry-run-{waiting.process_instance_id}"', 1)[1].split("</td>", 1)[0]
    for html in (row, cell):
        assert f"+{NBSP}{ADDED}" in html, html
        assert f"−{NBSP}{REMOVED}" in html, html
        assert f"+{ADDED}" not in html and f"−{REMOVED}" not in html
    assert f'<ul class="change-list"><li>+{NBSP}{ADDED}</li><li>−{NBSP}{REMOVED}</li></ul>' in row
