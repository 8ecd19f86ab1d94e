"""Staff pages as a keyboard and screen reader user meets them (the outside tester's round of #19).

The thread page opens on what was just done, the client-user search says how many it found in a table
with a caption and row headers and no empty column, "Assign" with nobody chosen is an error at the
field, the final decisions ask first, staff pages name their breadcrumbs, and the Django admin's Polish
titles read right for any model.
"""

from __future__ import annotations

import re

import pytest

from tests.admin_walk14.conftest import admin  # noqa: F401  (the same administrator)
from tests.logged_in_clients import browsing_as
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def test_a_reply_leads_to_the_page_itself_which_opens_on_its_confirmation(bok_staff, thread):
    staff = browsing_as(bok_staff)

    sent = staff.post(f"/staff/messages/{thread.pk}/reply/", {"body": "Korekta wyjdzie jutro."})
    noted = staff.post(f"/staff/messages/{thread.pk}/note/", {"note": "Sprawdzone w systemie."})
    page = staff.get(sent["Location"]).content.decode()

    # no #fragment that would scroll the page away from the confirmation forms.js focuses; a note opens at
    # itself, far down the notes card (forms.js says the confirmation there: tests/browser/test_notes_landing29)
    assert sent["Location"] == f"/staff/messages/{thread.pk}/"
    assert noted["Location"] == f"/staff/messages/{thread.pk}/#note-{thread.internal_notes.get().pk}"
    assert re.search(r'<div class="page-head" data-focus-start>\s*<h1>', page)
    assert "Odpowiedź została wysłana do klienta." in page


def test_the_client_user_search_counts_its_results_in_a_captioned_table_without_an_empty_column(
    bok_staff, client_user
):
    page = browsing_as(bok_staff).get("/staff/client-users/", {"q": "acme"}).content.decode()

    assert re.search(
        r'<h2 id="results-title" data-focus-start>Użytkownicy klientów <span[^>]*>\(1 wynik\)', page
    )
    assert "<caption" in page and "Użytkownicy klientów znalezieni dla „acme”" in page
    assert '<th scope="row" data-label="Użytkownik">' in page
    # nobody found can be activated or reset: no actions column of empty cells
    assert 'class="actions"' not in page and "Akcje" not in page


def test_the_search_page_without_a_query_opens_on_its_heading(bok_staff):
    page = browsing_as(bok_staff).get("/staff/client-users/").content.decode()

    assert '<div class="page-head" data-focus-start>' in page


def test_assign_with_nobody_chosen_is_an_error_at_the_field_not_the_browsers_bubble(
    bok_staff, client_user, acme
):
    request = submit_other_request(client_user, acme)
    staff = browsing_as(bok_staff)

    refused = staff.post(
        f"/staff/tasks/{request.pk}/assign/", {"assignee_id": "", "expected_assignee_id": ""}
    )
    form = refused.content.decode().split('id="assign-form"', 1)[1].split("</form>", 1)[0]

    assert refused.status_code == 400
    assert "novalidate" in form.split(">", 1)[0]
    assert 'aria-invalid="true" aria-describedby="err-assignee_id"' in form
    assert (
        '<ul class="errorlist" id="err-assignee_id"><li>Wybierz osobę z Biura Obsługi Klienta.</li>' in form
    )


def test_the_threads_assign_form_leaves_the_check_to_the_server(bok_staff, thread):
    page = browsing_as(bok_staff).get(f"/staff/messages/{thread.pk}/").content.decode()

    assert re.search(r'<form [^>]*class="assign-form once" novalidate>', page)


def test_approve_and_reject_ask_first_in_the_pages_dialog(bok_staff, client_user, acme):
    request = submit_other_request(client_user, acme)
    page = browsing_as(bok_staff).get(f"/staff/tasks/{request.pk}/").content.decode()

    for form_id, question in (("form-approve", "Zatwierdzić"), ("form-reject", "Odrzucić")):
        tag = page.split(f'id="{form_id}"', 1)[1].split(">", 1)[0]
        assert f'data-confirm="{question} wniosek {request.number}?"' in tag
        assert 'data-confirm-dialog="decision-confirm"' in tag
    assert "data-confirm" not in page.split('id="form-ask"', 1)[1].split(">", 1)[0]
    assert re.search(r'<dialog id="decision-confirm"[^>]*>', page)
    assert 'id="decision-confirm-cancel" data-confirm-cancel>Anuluj</button>' in page


def test_staff_pages_name_their_breadcrumbs(bok_staff, client_user, acme, thread):
    request = submit_other_request(client_user, acme)
    staff = browsing_as(bok_staff)

    task_page = staff.get(f"/staff/tasks/{request.pk}/").content.decode()
    thread_page = staff.get(f"/staff/messages/{thread.pk}/").content.decode()

    for page in (task_page, thread_page):
        assert re.search(r'<nav class="[a-z]*crumbs" aria-label="Ścieżka nawigacji">', page)
    assert f'<span aria-current="page">{request.number}</span></nav>' in task_page


def test_the_admins_polish_titles_read_right_for_any_model(admin):  # noqa: F811
    page_client = browsing_as(admin)

    users = page_client.get("/admin/accounts/user/").content.decode()
    add_user = page_client.get("/admin/accounts/user/add/").content.decode()

    assert "<title>Wybierz obiekt do zmiany: użytkownik" in users
    assert "Dodaj: użytkownik" in users  # the change list's add button
    assert "<title>Dodaj: użytkownik" in add_user
    assert "Wybierz użytkownik" not in users and "Dodaj użytkownik" not in users + add_user
