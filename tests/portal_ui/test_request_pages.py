"""Request pages: the client's list, wizard and processing view, the staff task pages, the flow editor."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.requests_app import services, task_hands
from backend.requests_app.models import PortalRequest, RequestEvent, RequestKind, RequestStatus
from tests.factories import ContractFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import logged_in
from tests.requests_app.helpers import PDF_BYTES

pytestmark = pytest.mark.django_db


def payment_day_form(contract, **overrides) -> dict:
    form = {
        "idempotency_key": "key-1",
        "contract_id": str(contract.pk),
        "data__payment_day": "20",
        "data__reason": "cash_flow",
        "data__reason_other": "",
        "contact__name": "Anna Kowalska",
        "contact__phone": "+48 601 234 567",
        "contact__email": "anna.kowalska@acme.pl",
        "declarations__data_true": "on",
        "declarations__privacy_notice": "on",
        "declarations__fees": "on",
        "declarations__authorised": "on",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def submit_payment_day_change(client, contract, **overrides):
    return client.post(
        f"/requests/new/{RequestKind.PAYMENT_DATE_CHANGE}/", payment_day_form(contract, **overrides)
    )


@pytest.fixture
def contract(acme):
    return ContractFactory(client=acme, payment_day=15)


@pytest.fixture
def acme_request(client, client_user, contract) -> PortalRequest:
    response = submit_payment_day_change(logged_in(client, client_user), contract)
    assert response.status_code == 302
    return PortalRequest.objects.get()


# --- list and ownership ---------------------------------------------------------------------------


def test_list_shows_only_the_clients_own_requests(
    client, client_user, other_client_user, contract, other_contract
):
    # given: one request of each client
    submit_payment_day_change(logged_in(client, other_client_user), other_contract, idempotency_key="other")
    other_number = PortalRequest.objects.get().number
    client.logout()
    submit_payment_day_change(logged_in(client, client_user), contract)
    own = PortalRequest.objects.get(client=contract.client)

    # when
    response = client.get("/requests/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert own.number in html
    assert other_number not in html


def test_empty_list_invites_to_send_a_first_request(client, client_user):
    response = logged_in(client, client_user).get("/requests/")

    assert response.status_code == 200
    assert 'href="/requests/new/"' in response.content.decode()
    assert "Nie wysłano jeszcze" in response.content.decode() or "not sent any" in response.content.decode()


def test_another_clients_request_page_is_not_found(client, other_client_user, acme_request):
    # given: a request of acme; when: a user of another company opens it
    client.logout()
    logged_in(client, other_client_user)

    # then
    assert client.get(f"/requests/{acme_request.pk}/").status_code == 404
    assert client.get(f"/requests/{acme_request.pk}/status/").status_code == 404
    assert client.post(f"/requests/{acme_request.pk}/cancel/").status_code == 404


def test_waiting_filter_badge_and_status_filter(client, client_user, acme_request, bok_staff):
    # given: staff asked the client for information
    services.complete_staff_task(
        staff=bok_staff,
        portal_request=acme_request,
        data={"decision": "ask_client", "question": "Prosimy o KRS."},
    )

    # when
    response = client.get("/requests/?status=waiting_for_client")

    # then
    html = response.content.decode()
    assert acme_request.number in html
    assert "badge-status-waiting_for_client" in html
    assert acme_request.number not in client.get("/requests/?status=completed").content.decode()


# --- wizard -----------------------------------------------------------------------------------------


def test_step_one_lists_every_kind(client, client_user):
    html = logged_in(client, client_user).get("/requests/new/").content.decode()

    for kind in RequestKind.values:
        assert f'href="/requests/new/{kind}/"' in html


def test_kind_in_the_query_goes_straight_to_step_two(client, client_user):
    response = logged_in(client, client_user).get("/requests/new/?type=client_data&kind=client_data_change")

    assert response.status_code == 302
    assert response["Location"] == "/requests/new/client_data_change/"


def test_payment_day_form_shows_the_contracts_current_day_disabled_none_preselected(
    client, client_user, acme
):
    # given: a contract paid on the 20th
    ContractFactory(client=acme, payment_day=20)

    # when
    html = logged_in(client, client_user).get("/requests/new/payment_date_change/").content.decode()

    # then: the current day cannot be sent (it is no change) and no day is ticked
    assert re.search(r'name="data__payment_day" value="20" disabled', html)
    assert not re.search(r'name="data__payment_day" value="\d+" checked', html)


def test_the_contact_person_is_prefilled_with_the_users_own_name_phone_and_e_mail(
    client, client_user, contract
):
    client_user.phone = "+48 600 100 200"
    client_user.save(update_fields=["phone"])

    html = logged_in(client, client_user).get("/requests/new/complaint/").content.decode()

    # then the user need not type their own number (an empty required field failed the first submit)
    assert re.search(r'name="contact__phone"[^>]*value="\+48 600 100 200"', html)
    assert re.search(rf'name="contact__email"[^>]*value="{re.escape(client_user.email)}"', html)


def test_client_data_change_is_prefilled_with_the_current_data(client, client_user, acme):
    html = logged_in(client, client_user).get("/requests/new/client_data_change/").content.decode()

    assert f'value="{acme.registered_city}"' in html
    assert f'value="{acme.email}"' in html


def test_validation_errors_keep_every_typed_value_and_sit_next_to_their_field(client, client_user, contract):
    # given: a bad phone, the "other" reason without its text and one declaration left unticked
    form_overrides = {
        "contact__phone": "12",
        "data__reason": "other",
        "data__reason_other": "",
        "declarations__fees": None,
        "contact__name": "Zofia Wiśniewska",
    }

    # when
    response = submit_payment_day_change(logged_in(client, client_user), contract, **form_overrides)

    # then: nothing was created, the values are back and each error is tied to its input
    html = response.content.decode()
    assert response.status_code == 400
    assert PortalRequest.objects.count() == 0
    assert 'value="Zofia Wiśniewska"' in html
    assert 'value="12"' in html
    assert re.search(r'name="data__payment_day" value="20" checked', html)
    assert re.search(r'<option value="other" selected>', html)
    assert 'aria-describedby="err-contact__phone' in html and 'id="err-contact__phone"' in html
    assert 'id="err-data__reason_other"' in html
    assert 'id="err-declarations__fees"' in html
    assert 'name="declarations__data_true" checked' in html


def test_rejected_attachment_keeps_the_typed_data(client, client_user, contract):
    # given: a text file pretending to be a PDF
    bad = SimpleUploadedFile("umowa.pdf", b"just text", content_type="application/pdf")

    # when
    response = logged_in(client, client_user).post(
        "/requests/new/payment_date_change/",
        {**payment_day_form(contract, contact__name="Ewa Nowak"), "files": bad},
    )

    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert PortalRequest.objects.count() == 0
    assert "umowa.pdf" in html and 'id="err-request-attachment_ids"' in html
    assert 'value="Ewa Nowak"' in html


def test_an_accepted_file_stays_attached_after_another_error(client, client_user, contract):
    # given: a good PDF but a bad phone number
    good = SimpleUploadedFile("skan.pdf", PDF_BYTES, content_type="application/pdf")
    response = logged_in(client, client_user).post(
        "/requests/new/payment_date_change/",
        {**payment_day_form(contract, contact__phone="1"), "files": good},
    )
    kept = re.search(r'name="attachment_ids" value="(\d+)" checked', response.content.decode())
    assert response.status_code == 400 and kept

    # when: the corrected form is sent with the kept file
    response = client.post(
        "/requests/new/payment_date_change/", {**payment_day_form(contract), "attachment_ids": kept.group(1)}
    )

    # then
    assert response.status_code == 302
    assert [a.original_name for a in PortalRequest.objects.get().attachments.all()] == ["skan.pdf"]


def test_the_same_file_chosen_again_after_an_error_is_attached_once(client, client_user, contract):
    """The kept upload is ticked but the file picker is empty: choosing the file again attached it twice."""
    # given: a good file sent with an empty phone, so the form comes back with the file kept
    first_try = logged_in(client, client_user).post(
        "/requests/new/payment_date_change/",
        {
            **payment_day_form(contract, contact__phone=""),
            "files": SimpleUploadedFile("equipment.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    kept = re.search(r'name="attachment_ids" value="(\d+)" checked', first_try.content.decode())
    assert first_try.status_code == 400 and kept

    # when: the corrected form keeps it and brings the same file again
    response = client.post(
        "/requests/new/payment_date_change/",
        {
            **payment_day_form(contract),
            "attachment_ids": kept.group(1),
            "files": SimpleUploadedFile("equipment.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )

    # then: the request lists it once (the earlier upload)
    assert response.status_code == 302
    attachments = list(PortalRequest.objects.get().attachments.all())
    assert [(a.pk, a.original_name) for a in attachments] == [(int(kept.group(1)), "equipment.pdf")]


def test_an_empty_phone_reads_like_every_other_empty_required_field(client, client_user, contract):
    response = logged_in(client, client_user).post(
        "/requests/new/payment_date_change/",
        payment_day_form(contract, contact__phone="", contact__name="", data__reason=None),
    )

    html = response.content.decode()
    assert response.status_code == 400
    required = "To pole jest wymagane."
    for name in ("contact__phone", "contact__name", "data__reason"):
        error = re.search(rf'<ul class="errorlist" id="err-{name}">(.*?)</ul>', html, re.S)
        assert error and required in error.group(1), (name, error and error.group(1))
    assert "nie może być puste" not in html


def test_the_same_form_posted_twice_makes_one_request(client, client_user, contract):
    # given
    logged_in(client, client_user)

    # when: a double click sends the same form (same idempotency key) twice
    first = submit_payment_day_change(client, contract)
    second = submit_payment_day_change(client, contract)

    # then
    assert PortalRequest.objects.count() == 1
    portal_request = PortalRequest.objects.get()
    assert first["Location"] == second["Location"] == f"/requests/{portal_request.pk}/"


def test_a_new_form_has_a_fresh_idempotency_key(client, client_user, contract):
    logged_in(client, client_user)
    keys = [
        re.search(
            r'name="idempotency_key" value="([^"]+)"',
            client.get("/requests/new/other_request/").content.decode(),
        ).group(1)
        for _ in range(2)
    ]

    assert keys[0] != keys[1]


def test_contract_value_change_needs_an_attachment(client, client_user, contract):
    form = {
        "idempotency_key": "cv",
        "contract_id": str(contract.pk),
        "data__option": "additional_equipment",
        "data__net_amount": "1 000,00",
        "data__currency": contract.currency,
        "contact__name": "Anna",
        "contact__phone": "601234567",
        "contact__email": "anna@acme.pl",
        **{f"declarations__{code}": "on" for code in ("data_true", "privacy_notice", "fees", "authorised")},
    }

    response = logged_in(client, client_user).post("/requests/new/contract_value_change/", form)

    assert response.status_code == 400
    assert 'id="err-request-attachment_ids"' in response.content.decode()
    assert 'value="1 000,00"' in response.content.decode()


# --- processing view ----------------------------------------------------------------------------------


def test_processing_view_shows_the_banner_and_the_reply_completes_the_clients_task(
    client, client_user, acme_request, bok_staff
):
    # given: staff asked a question
    services.complete_staff_task(
        staff=bok_staff,
        portal_request=acme_request,
        data={"decision": "ask_client", "question": "Prosimy o KRS."},
    )
    html = client.get(f"/requests/{acme_request.pk}/").content.decode()
    assert 'id="waiting-banner"' in html and "Prosimy o KRS." in html

    # when
    response = client.post(f"/requests/{acme_request.pk}/reply/", {"message": "KRS 0000123456"})

    # then
    assert response.status_code == 302
    acme_request.refresh_from_db()
    assert acme_request.status == RequestStatus.IN_REVIEW
    assert acme_request.events.filter(kind=RequestEvent.Kind.REPLY, message="KRS 0000123456").exists()
    assert 'id="waiting-banner"' not in client.get(f"/requests/{acme_request.pk}/").content.decode()


def test_an_empty_reply_is_an_error_next_to_the_field(client, client_user, acme_request, bok_staff):
    services.complete_staff_task(
        staff=bok_staff,
        portal_request=acme_request,
        data={"decision": "ask_client", "question": "Prosimy o KRS."},
    )

    response = client.post(f"/requests/{acme_request.pk}/reply/", {"message": "  "})

    assert response.status_code == 400
    assert 'id="err-reply-message"' in response.content.decode()
    acme_request.refresh_from_db()
    assert acme_request.status == RequestStatus.WAITING_FOR_CLIENT


def test_a_second_reply_from_a_stale_tab_is_kept_in_the_open_comment_form(
    client, client_user, acme_request, bok_staff
):
    # given: staff asked, and the client answered in another tab
    services.complete_staff_task(
        staff=bok_staff,
        portal_request=acme_request,
        data={"decision": "ask_client", "question": "Prosimy o KRS."},
    )
    assert (
        client.post(f"/requests/{acme_request.pk}/reply/", {"message": "KRS 0000123456"}).status_code == 302
    )

    # when: the stale tab sends another reply
    response = client.post(
        f"/requests/{acme_request.pk}/reply/", {"message": "Jeszcze jedno: NIP 5250001009"}
    )

    # then: the page says why, and the text waits in the comment form, shown open (the reply form is hidden)
    html = response.content.decode()
    assert response.status_code == 400
    dialog = html[html.index('<dialog id="comment-dialog"') : html.index("</dialog>")]
    assert " open>" in dialog.split("\n")[0]
    assert "Jeszcze jedno: NIP 5250001009" in dialog
    assert "Leasingodawca nie czeka już na tę odpowiedź" in dialog
    # and nothing was recorded twice
    assert acme_request.events.filter(kind=RequestEvent.Kind.REPLY).count() == 1


def test_comment_with_attachment_shows_in_the_history(client, client_user, acme_request):
    pdf = SimpleUploadedFile("zdjecie.pdf", PDF_BYTES, content_type="application/pdf")

    response = client.post(
        f"/requests/{acme_request.pk}/comment/", {"message": "Dosyłam skan.", "files": pdf}
    )

    assert response.status_code == 302
    html = client.get(f"/requests/{acme_request.pk}/status/").content.decode()
    assert "Dosyłam skan." in html and "zdjecie.pdf" in html


def test_cancel_withdraws_the_request(client, client_user, acme_request):
    response = client.post(f"/requests/{acme_request.pk}/cancel/")

    assert response.status_code == 302
    acme_request.refresh_from_db()
    assert acme_request.status == RequestStatus.CANCELLED


# --- staff --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/staff/tasks/", "/staff/tasks/{id}/"])
def test_staff_pages_are_forbidden_to_client_users(client, client_user, acme_request, url):
    assert client.get(url.format(id=acme_request.pk)).status_code == 403
    assert client.post(f"/staff/tasks/{acme_request.pk}/claim/").status_code == 403


def test_staff_task_list_filters_and_claims(client, bok_staff, acme_request):
    logged_in(client, bok_staff)
    assert acme_request.number in client.get("/staff/tasks/?assignee=none").content.decode()

    response = client.post(f"/staff/tasks/{acme_request.pk}/claim/", {"next": "/staff/tasks/"})

    assert response.status_code == 302
    acme_request.refresh_from_db()
    assert acme_request.assignee == bok_staff
    assert acme_request.number not in client.get("/staff/tasks/?assignee=none").content.decode()
    assert (
        acme_request.number
        in client.get("/staff/tasks/?assignee=me&kind=payment_date_change").content.decode()
    )


def test_a_task_claimed_by_someone_else_gives_a_clear_message(client, bok_staff, second_staff, acme_request):
    # given: the second staff member claimed the task first
    task_hands.claim_request(staff=second_staff, portal_request=acme_request)
    client.logout()
    logged_in(client, bok_staff)

    # when
    response = client.post(f"/staff/tasks/{acme_request.pk}/claim/", follow=True)
    approve = client.post(f"/staff/tasks/{acme_request.pk}/approve/", {"answer": ""}, follow=True)

    # then
    assert response.status_code == 200
    assert "Zając" in response.content.decode() or "bok2@" in response.content.decode()
    # the decision sent anyway: the page as it is now (409), naming who has the task
    assert approve.status_code == 409
    assert "Nad tym zadaniem pracuje już Piotr Zając" in approve.content.decode()
    acme_request.refresh_from_db()
    assert acme_request.status == RequestStatus.IN_REVIEW


def test_reject_needs_a_reason(client, bok_staff, acme_request):
    client.logout()
    logged_in(client, bok_staff)

    response = client.post(f"/staff/tasks/{acme_request.pk}/reject/", {"reason": ""})

    assert response.status_code == 400
    assert 'id="err-reject-reason"' in response.content.decode()
    acme_request.refresh_from_db()
    assert acme_request.status == RequestStatus.IN_REVIEW


def test_staff_ask_then_approve(client, client_user, bok_staff, acme_request):
    client.logout()
    logged_in(client, bok_staff)

    client.post(f"/staff/tasks/{acme_request.pk}/ask/", {"question": "Prosimy o dokument."})
    acme_request.refresh_from_db()
    assert acme_request.status == RequestStatus.WAITING_FOR_CLIENT
    services.reply_to_request(
        user=client_user, portal_request=acme_request, message="Jest", attachment_ids=[]
    )

    response = client.post(f"/staff/tasks/{acme_request.pk}/approve/", {"answer": "OK"})

    assert response.status_code == 302
    acme_request.refresh_from_db()
    assert acme_request.status == RequestStatus.COMPLETED
    assert acme_request.decision_document_id is not None
    page = client.get(f"/staff/tasks/{acme_request.pk}/").content.decode()
    assert f'href="/api/requests/{acme_request.pk}/decision-document/"' in page
    assert client.get(f"/api/requests/{acme_request.pk}/decision-document/").status_code == 200


def test_each_status_change_in_the_history_names_the_status_it_led_to(
    client, client_user, bok_staff, acme_request
):
    """An approval changes the status twice in one stage (approved, then completed): the rows differ."""
    staff_client = Client()
    logged_in(staff_client, bok_staff)
    staff_client.post(f"/staff/tasks/{acme_request.pk}/approve/", {"answer": "OK"})

    for page in (
        client.get(f"/requests/{acme_request.pk}/").content.decode(),  # the client's processing view
        staff_client.get(f"/staff/tasks/{acme_request.pk}/").content.decode(),  # the staff task page
    ):
        history = page[page.index('id="request-history"') :]
        # in review after the submit, then the approval's two changes in the stage "Zrealizowany": the stage
        # change (approved), then a status change in the same stage (completed), not a second "stage change"
        approved = history.index("<strong>Zmiana etapu</strong> · Zrealizowany · status: Zatwierdzony")
        completed = history.index("<strong>Zmiana statusu</strong> · status: Zrealizowany")
        assert history.index("status: W weryfikacji") < approved < completed
        assert history.count("Zmiana etapu</strong> · Zrealizowany") == 1
        assert history.count("status: ") == 3  # only status changes carry one (not the submit, the decision)


def test_an_approval_keeps_both_the_answer_and_the_comment(client, client_user, bok_staff, acme_request):
    """The comment was dropped when an answer was given too (`answer or comment`)."""
    logged_in(client, bok_staff)
    client.post(
        f"/staff/tasks/{acme_request.pk}/approve/",
        {"answer": "Zgoda na nowy dzień.", "comment": "Aneks w załączeniu decyzji."},
    )
    decision = acme_request.events.get(kind=RequestEvent.Kind.DECISION)
    assert decision.message == "Zgoda na nowy dzień.\n\nAneks w załączeniu decyzji."
    client.force_login(client_user)
    page = client.get(f"/requests/{acme_request.pk}/").content.decode()
    assert "Aneks w załączeniu decyzji." in page and "Zgoda na nowy dzień." in page


def test_the_staff_page_passes_the_approval_comment_like_the_api(client, bok_staff, acme_request):
    client.logout()
    logged_in(client, bok_staff)
    page = client.get(f"/staff/tasks/{acme_request.pk}/").content.decode()
    assert 'id="approve-comment" name="comment"' in page

    response = client.post(f"/staff/tasks/{acme_request.pk}/approve/", {"comment": "Bez uwag."})

    assert response.status_code == 302
    decision = acme_request.events.get(kind=RequestEvent.Kind.DECISION)
    assert decision.message == "Bez uwag."


def test_a_reply_to_another_clients_request_is_not_found_and_changes_nothing(
    client, other_client_user, acme_request, bok_staff
):
    services.complete_staff_task(
        staff=bok_staff, portal_request=acme_request, data={"decision": "ask_client", "question": "KRS?"}
    )
    client.logout()
    logged_in(client, other_client_user)

    assert client.post(f"/requests/{acme_request.pk}/reply/", {"message": "Cudzy"}).status_code == 404
    assert client.post(f"/requests/{acme_request.pk}/cancel/").status_code == 404
    acme_request.refresh_from_db()
    assert acme_request.status == RequestStatus.WAITING_FOR_CLIENT


# --- analyst ------------------------------------------------------------------------------------------


def test_flow_pages_are_for_analysts(client, client_user, bok_staff, analyst):
    assert logged_in(client, client_user).get("/analyst/flows/").status_code == 403
    client.logout()
    assert logged_in(client, bok_staff).get("/analyst/flows/payment_date_change/").status_code == 403
    client.logout()

    listing = logged_in(client, analyst).get("/analyst/flows/")
    editor = client.get("/analyst/flows/payment_date_change/")

    assert (
        listing.status_code == 200
        and 'href="/analyst/flows/payment_date_change/"' in listing.content.decode()
    )
    assert editor.status_code == 200
    assert 'id="bpmn-xml"' in editor.content.decode() and "bpmn:definitions" in editor.content.decode()
    assert client.get("/analyst/flows/no_such_process/").status_code == 404


def test_pages_speak_polish_by_default_and_english_on_request(client, client_user, acme_request):
    # given: the default language
    polish = client.get(f"/requests/{acme_request.pk}/").content.decode()

    # when: the user switches to English
    client.post("/i18n/setlang/", {"language": "en", "next": "/requests/"})
    english = client.get(f"/requests/{acme_request.pk}/").content.decode()

    # then
    assert "Historia etapów i wiadomości" in polish
    assert "History of stages and messages" in english


def test_the_staff_task_page_shows_the_day_a_payment_day_change_moves_from(client, bok_staff, acme_request):
    """Staff compare the day asked for with the contract's day while the request is open."""
    logged_in(client, bok_staff)
    page = client.get(f"/staff/tasks/{acme_request.pk}/").content.decode()
    assert "<dt>Obecny dzień płatności</dt><dd>15</dd>" in page
    assert "<dt>Nowy dzień płatności</dt><dd>20</dd>" in page
    client.post(f"/staff/tasks/{acme_request.pk}/approve/", {"answer": "OK"})
    page = client.get(f"/staff/tasks/{acme_request.pk}/").content.decode()
    assert "Obecny dzień płatności" not in page  # made: the contract's day is the new one now


def test_the_staff_comment_form_says_the_client_sees_it(client, client_user, bok_staff, acme_request):
    logged_in(client, bok_staff)
    page = client.get(f"/staff/tasks/{acme_request.pk}/").content.decode()
    assert "Dodaj komentarz dla klienta" in page
    assert "Klient zobaczy ten komentarz i jego pliki w historii wniosku." in page
    client.post(f"/staff/tasks/{acme_request.pk}/comment/", {"message": "Sprawdzamy w banku."})
    client.force_login(client_user)
    assert "Sprawdzamy w banku." in client.get(f"/requests/{acme_request.pk}/").content.decode()


def _scope_tiles(page: str) -> dict[str, str]:
    nav = page[page.index('id="task-scopes"') : page.index("</nav>", page.index('id="task-scopes"'))]
    return dict(re.findall(r'data-testid="scope-(\w+)"[^>]*><span class="queue-count">(\d+)</span>', nav))


def test_the_task_list_names_its_three_lists_and_whose_turn_it_is(client, bok_staff, acme_request):
    """Staff reach the requests waiting for the client from the task list itself; there the list says
    since when the client has had the question, offers the client's stages, and has nothing to clear."""
    logged_in(client, bok_staff)
    client.post(f"/staff/tasks/{acme_request.pk}/ask/", {"question": "Prosimy o dokument."})
    staff_list = client.get("/staff/tasks/").content.decode()
    assert _scope_tiles(staff_list) == {"staff": "0", "client": "1", "open": "1", "closed": "0"}
    assert 'href="/staff/tasks/?scope=client"' in staff_list
    # each list has its own page title (a browser tab, a screen reader's first words)
    assert "<title>Zadania oczekujące na pracownika · Portal Klienta</title>" in staff_list
    assert (
        "<title>Otwarte wnioski · Portal Klienta</title>"
        in client.get("/staff/tasks/?scope=open").content.decode()
    )

    waiting = client.get("/staff/tasks/?scope=client").content.decode()
    assert 'data-testid="scope-client" aria-current="page"' in waiting
    assert "<title>Wnioski czekające na klienta · Portal Klienta</title>" in waiting
    assert f'href="/staff/tasks/{acme_request.pk}/"' in waiting
    assert "Czeka od" in waiting and "(przed chwilą)" in waiting  # since the question, and how long ago
    assert "Wyczyść filtry" not in waiting  # the list chosen is not a filter
    stage_filter = waiting[
        waiting.index('id="flt-stage"') : waiting.index("</select>", waiting.index('id="flt-stage"'))
    ]
    assert "Weryfikacja przez BOK" not in stage_filter  # a staff stage cannot be waiting for the client

    filtered = client.get("/staff/tasks/?scope=client&kind=complaint").content.decode()
    assert 'href="/staff/tasks/?scope=client">Wyczyść filtry' in filtered


def test_a_colleagues_reply_is_named_not_you(client, client_user, bok_staff, acme, acme_request):
    logged_in(client, bok_staff)
    client.post(f"/staff/tasks/{acme_request.pk}/ask/", {"question": "Prosimy o dokument."})
    services.reply_to_request(
        user=client_user, portal_request=acme_request, message="Jest.", attachment_ids=[]
    )
    colleague = UserFactory(email="kolega@acme.pl", first_name="Piotr", last_name="Kolega")
    MembershipFactory(user=colleague, client=acme)

    def reply_author(user) -> str:
        client.force_login(user)
        history = client.get(f"/requests/{acme_request.pk}/").content.decode()
        history = history[history.index('id="request-history"') :]
        row = history[: history.index("Jest.")].rsplit('<li class="timeline-item', 1)[1]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", row)).split("·")[-1].strip()

    assert reply_author(client_user) == "Ty"
    assert reply_author(colleague) == (client_user.get_full_name() or client_user.email)


def test_a_request_comment_counts_and_stores_line_breaks_as_one_character(client, client_user, acme_request):
    """Request comments, replies and staff texts take the same field: 3,999 characters typed with line
    breaks (4,038 as a browser sends them) fit the 4,000 allowed, and are stored with "\\n"."""
    typed = "\n".join(["y" * 99] * 40)
    client.force_login(client_user)

    response = client.post(f"/requests/{acme_request.pk}/comment/", {"message": typed.replace("\n", "\r\n")})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert acme_request.events.filter(kind="comment").last().message == typed
