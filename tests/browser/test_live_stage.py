"""Acceptance: a stage change arrives live on an open processing page, without reloading it.

pytest-django's live_server speaks WSGI only, so this test uses the `asgi_server` fixture
(tests/browser/conftest.py): the real ASGI application with WebSockets and the push relay.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client as DjangoClient
from django.utils import translation

from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event
from backend.requests_app.models import (
    PortalRequest,
    RequestAttachment,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RequestType,
)
from notifications.texts import stage_label


def move_to_stage(portal_request: PortalRequest, *, stage: str, status: str) -> None:
    """Change the stage the way the request services do: history row and outbox event in one commit."""
    with transaction.atomic():
        portal_request.stage = stage
        portal_request.status = status
        portal_request.save(update_fields=["stage", "status"])
        RequestEvent.objects.create(request=portal_request, kind=RequestEvent.Kind.STAGE_CHANGED, stage=stage)
        record_outbox_event(
            kind=OutboxEvent.Kind.REQUEST_STAGE_CHANGED,
            subject=portal_request,
            client_id=portal_request.client_id,
            payload={
                "request_id": portal_request.pk,
                "number": portal_request.number,
                "stage": stage,
                "status": status,
                "waiting_for": "client",
            },
        )


def open_request(client_user, acme, *, number: str) -> PortalRequest:
    return PortalRequest.objects.create(
        number=number,
        type=RequestType.OTHER,
        kind=RequestKind.OTHER_REQUEST,
        client=acme,
        submitted_by=client_user,
        contact_name="Anna Kowalska",
        contact_phone="+48 600 100 200",
        contact_email="anna@acme.pl",
        stage="staff_review",
        status=RequestStatus.IN_REVIEW,
    )


def open_processing_page(browser, asgi_server, user, portal_request: PortalRequest):
    """Log `user` in and open the request's processing view; return (context, page) once it is live."""
    django_client = DjangoClient()
    django_client.force_login(user)
    context = browser.new_context(base_url=asgi_server, locale="pl-PL")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": django_client.cookies["sessionid"].value, "url": asgi_server}]
    )
    page = context.new_page()
    page.goto(f"/requests/{portal_request.pk}/")
    page.wait_for_selector("#live-indicator[data-state=online]")
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stage_change_arrives_live_on_the_open_page(browser, asgi_server, client_user, acme, settings):
    # given: the client has the processing view of its request open
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    portal_request = open_request(client_user, acme, number="WN/2026/000042")
    context, page = open_processing_page(browser, asgi_server, client_user, portal_request)
    assert page.get_attribute("#request-stage", "data-stage") == "staff_review"
    page.evaluate("window.__notReloaded = true")

    assert "wyciag.docx" not in page.inner_text("#request-attachments")

    # when: staff ask the client for information, with a file
    RequestAttachment.objects.create(
        client=acme,
        uploaded_by=client_user,
        request=portal_request,
        file="requests/wyciag.docx",
        original_name="wyciag.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        size=1024,
        sha256="0" * 64,
    )
    move_to_stage(portal_request, stage="client_reply", status=RequestStatus.WAITING_FOR_CLIENT)

    # then: the new stage and the waiting banner appear on the same page, without a reload
    page.wait_for_selector("#request-stage[data-stage=client_reply]")
    with translation.override("pl"):
        label = stage_label("client_reply")
    assert page.inner_text("#request-stage") == label
    assert page.is_visible("#waiting-banner")
    assert page.evaluate("window.__notReloaded") is True
    assert label in page.inner_text("#request-history")
    # and the side panel lists the new file too (it said "No attachments." until a reload)
    assert "wyciag.docx" in page.inner_text("#request-attachments")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_open_processing_page_leaves_when_the_session_logs_out_in_another_tab(
    browser, asgi_server, client_user, acme
):
    # given: the processing view is open in one tab
    portal_request = open_request(client_user, acme, number="WN/2026/000043")
    context, page = open_processing_page(browser, asgi_server, client_user, portal_request)

    # when: the user logs out in another tab of the same browser
    other_tab = context.new_page()
    other_tab.goto("/")
    other_tab.click("form[action='/logout/'] button")
    other_tab.wait_for_url("**/login/**")

    # then: the open page does not stay on the request; it loads again and asks for a login
    page.wait_for_url("**/login/**")
    assert page.locator("input[type=password]").count() == 1
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_live_update_keeps_keyboard_focus_and_announces_only_the_change(
    browser, asgi_server, client_user, acme, settings
):
    # given: the request waits for the client and the keyboard is on "Odpowiedz teraz" in the banner
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    portal_request = open_request(client_user, acme, number="WN/2026/000044")
    move_to_stage(portal_request, stage="client_reply", status=RequestStatus.WAITING_FOR_CLIENT)
    context, page = open_processing_page(browser, asgi_server, client_user, portal_request)
    # the status region with its whole history is not read aloud on every update
    assert page.get_attribute("#live-request-status", "aria-live") is None
    assert page.inner_text("#live-announcer") == ""
    page.focus("#waiting-banner a")

    # when: staff comment on the request (the state is re-fetched and replaced)
    with transaction.atomic():
        RequestEvent.objects.create(
            request=portal_request, kind=RequestEvent.Kind.COMMENT, author="staff", message="Dziękujemy."
        )
        record_outbox_event(
            kind=OutboxEvent.Kind.REQUEST_COMMENT,
            subject=portal_request,
            client_id=acme.pk,
            payload={"request_id": portal_request.pk, "number": portal_request.number},
        )
    page.wait_for_function(
        "() => document.getElementById('request-history').innerText.includes('Dziękujemy.')"
    )

    # then: the keyboard is still on the same link, and nothing was announced (the stage did not change)
    assert page.evaluate("document.activeElement.closest('#waiting-banner') !== null")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#reply-card"
    assert page.inner_text("#live-announcer") == ""

    # when: the stage changes, the announcer says the new stage only
    move_to_stage(portal_request, stage="staff_review", status=RequestStatus.IN_REVIEW)
    page.wait_for_selector("#request-stage[data-stage=staff_review]")
    with translation.override("pl"):
        label = stage_label("staff_review")
    page.wait_for_function(
        f"() => document.getElementById('live-announcer').textContent === 'Etap wniosku: {label}'"
    )
    # the link the keyboard was on is gone: focus is on the state region, not lost to the page
    assert page.evaluate("document.activeElement.id") == "live-request-status"
    context.close()
