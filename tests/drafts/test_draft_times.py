"""A draft's save time as the pages show it: the portal's time (Europe/Warsaw) and the language's date
format, formatted by the server (backend/core/money.py), never by the browser's own clock and zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.core.money import format_datetime, format_time
from backend.drafts.models import Draft

pytestmark = pytest.mark.django_db

URL = "/api/drafts/?form_key=request:complaint"


def saved_at(user, moment: datetime) -> None:
    draft = Draft.objects.create(
        user=user, client=user.memberships.get().client, form_key="request:complaint"
    )
    Draft.objects.filter(pk=draft.pk).update(updated_at=moment)  # auto_now: set it past the model


@pytest.mark.parametrize(
    ("language", "moment", "when", "time"),
    [
        ("pl", datetime(2026, 11, 29, 12, 33, tzinfo=UTC), "29.11.2026 13:33", "13:33"),  # CET, UTC+1
        ("en", datetime(2026, 11, 29, 12, 33, tzinfo=UTC), "2026-11-29 13:33", "13:33"),
        ("pl", datetime(2026, 7, 1, 22, 5, tzinfo=UTC), "02.07.2026 00:05", "00:05"),  # CEST, the next day
    ],
)
def test_the_draft_says_when_it_was_saved_in_warsaw_time_and_the_users_format(
    api_as, client_user, language, moment, when, time
):
    client_user.language = language
    client_user.save(update_fields=["language"])
    saved_at(client_user, moment)

    (draft,) = api_as(client_user).get(URL).json()

    assert draft["updated_at_display"] == when
    assert draft["updated_time_display"] == time


def test_the_saved_draft_answer_has_the_time_too(api_as, client_user):
    saved = api_as(client_user).put("/api/drafts/", {"form_key": "message:new", "data": {}}, format="json")

    draft = Draft.objects.get(user=client_user)
    assert saved.json()["updated_time_display"] == format_time(draft.updated_at)
    assert saved.json()["updated_at_display"] == format_datetime(draft.updated_at, lang="pl")
