"""A staff member who typed two characters as the reason of a rejection was asked "Reject request …? It
cannot be undone", confirmed, and only then told the reason takes at least 3 characters: the page marked
the reason required but said nothing of the review form's `minLength`. Each decision's text now carries
the form's floor as `minlength` (confirm.js asks nothing about a shorter text; the server still refuses
it at the field)."""

from __future__ import annotations

import re

import pytest

from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def _textarea(html: str, field_id: str) -> str:
    return re.search(rf'<textarea id="{field_id}"[^>]*>', html).group(0)


def test_each_decision_text_says_the_review_forms_fewest_characters(client, bok_staff, client_user, acme):
    review = submit_other_request(client_user, acme)
    client.force_login(bok_staff)

    html = client.get(f"/staff/tasks/{review.pk}/").content.decode()

    assert 'minlength="3"' in _textarea(html, "ask-question")
    assert 'minlength="3"' in _textarea(html, "reject-reason")
    assert 'minlength="3"' in _textarea(html, "approve-answer")  # another matter's approval answers
    assert "minlength" not in _textarea(html, "approve-comment")


def test_a_too_short_reason_is_still_refused_at_its_field_with_the_text_kept(
    client, bok_staff, client_user, acme
):
    review = submit_other_request(client_user, acme)
    client.force_login(bok_staff)

    response = client.post(f"/staff/tasks/{review.pk}/reject/", {"reason": "ab"})

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'<ul class="errorlist" id="err-reject-reason"><li>[^<]*co najmniej 3 znaki', html)
    assert _textarea(html, "reject-reason").endswith(">") and ">ab</textarea>" in html
