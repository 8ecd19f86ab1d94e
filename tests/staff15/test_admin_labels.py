"""The Django admin's lists name stages and event kinds as the portal does, not by their codes
(staff_review, request.decided, decided)."""

from __future__ import annotations

import html

import pytest
from django.test import Client as PageClient
from django.utils import translation

from backend.accounts.models import User
from backend.core.models import OutboxEvent
from backend.requests_app.catalogue import request_stage_label
from notifications.models import Delivery, Notice
from tests.factories import UserFactory
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_admin(db) -> PageClient:
    user = UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True, language="en")
    browser = PageClient()
    browser.force_login(user)
    return browser


def page(browser: PageClient, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def test_request_stages_notice_and_delivery_kinds_are_named_not_coded(english_admin, client_user, acme):
    portal_request = submit_request(client_user, acme)
    Notice.objects.create(recipient=client_user, kind="request.decided", client=acme, payload={})
    Delivery.objects.create(event=OutboxEvent.objects.first(), recipient=client_user, template="decided")

    requests = page(english_admin, "/admin/requests_app/portalrequest/")
    notices = page(english_admin, "/admin/notifications/notice/")
    deliveries = page(english_admin, "/admin/notifications/delivery/")

    with translation.override("en"):
        stage = request_stage_label(portal_request)
    assert stage != portal_request.stage
    assert f">{stage}<" in requests
    assert f">{portal_request.stage}<" not in requests
    assert ">Request decided<" in notices and ">request.decided<" not in notices
    assert ">Request decided<" in deliveries and ">decided<" not in deliveries
