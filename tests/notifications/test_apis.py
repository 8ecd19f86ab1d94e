from __future__ import annotations

from backend.core.models import OutboxEvent
from notifications.models import Notice
from notifications.tasks import create_notifications


def notify(make_event, client_company, **payload) -> None:
    create_notifications.delay(
        make_event(OutboxEvent.Kind.REQUEST_WAITING_FOR_CLIENT, client=client_company, **payload).pk
    )


def test_user_lists_only_own_notices_with_text_in_their_language(
    api_as, client_user, other_client_user, make_event, acme, other_company
):
    # given
    notify(make_event, acme, number="WN/2026/000007")
    notify(make_event, other_company, number="WN/2026/000999")

    # when
    response = api_as(client_user).get("/api/notices/")

    # then
    assert response.status_code == 200
    results = response.json()["results"]
    assert [notice["title"] for notice in results] == ["Wniosek WN/2026/000007: czekamy na Twoją odpowiedź."]
    assert results[0]["is_read"] is False
    assert results[0]["link"].startswith("/requests/501/")


def test_unread_count_and_mark_read(api_as, client_user, make_event, acme):
    # given
    notify(make_event, acme)
    notify(make_event, acme, request_id=502)
    api = api_as(client_user)
    first = Notice.objects.filter(recipient=client_user).first()

    # when
    before = api.get("/api/notices/unread-count/").json()["unread"]
    marked = api.post(f"/api/notices/{first.pk}/read/")
    after_one = api.get("/api/notices/unread-count/").json()["unread"]
    api.post("/api/notices/read-all/")
    after_all = api.get("/api/notices/unread-count/").json()["unread"]

    # then
    assert (before, after_one, after_all) == (2, 1, 0)
    assert marked.status_code == 200
    assert marked.json()["is_read"] is True


def test_another_users_notice_cannot_be_marked(api_as, client_user, other_client_user, make_event, acme):
    # given
    notify(make_event, acme)
    notice = Notice.objects.get(recipient=client_user)

    # when
    response = api_as(other_client_user).post(f"/api/notices/{notice.pk}/read/")

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    notice.refresh_from_db()
    assert notice.read_at is None


def test_notices_need_login(client, db):
    # when
    response = client.get("/api/notices/unread-count/")

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_bad_unread_filter_is_refused_and_page_size_is_capped(api_as, client_user, make_event, acme):
    # given
    notify(make_event, acme)
    api = api_as(client_user)

    # when
    refused = api.get("/api/notices/?unread=maybe")
    response = api.get("/api/notices/?page_size=100000")

    # then
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["unread"]
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_bell_snippet_points_at_the_notice_api(client_user):
    from django.template.loader import render_to_string

    # when
    html = render_to_string("notifications/_bell.html", {"user": client_user})

    # then
    assert 'data-count-api="/api/notices/unread-count/"' in html
    assert "Powiadomienia" in html
