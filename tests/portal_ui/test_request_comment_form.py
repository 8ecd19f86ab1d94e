"""The comment dialog of the processing view works as a plain form: a link opens it, a post sends it."""

from __future__ import annotations

import re

import pytest

from tests.portal_ui.test_request_pages import acme_request, contract  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def dialog_tag(body: str) -> str:
    match = re.search(r'<dialog id="comment-dialog"[^>]*>', body)
    assert match
    return match.group(0)


def test_the_opener_is_a_link_that_shows_the_dialog_open_without_script(client, acme_request):  # noqa: F811
    page = client.get(f"/requests/{acme_request.pk}/").content.decode()
    # the page opens with the dialog closed and a link (not a script-only button) to open it
    assert " open" not in dialog_tag(page)
    assert re.search(r'<a class="button" id="open-comment" href="\?comment=1#comment-dialog"', page)
    # following the link shows the dialog open, with a form that posts with CSRF, and a way back
    opened = client.get(f"/requests/{acme_request.pk}/", {"comment": "1"}).content.decode()
    assert dialog_tag(opened).endswith(" open>")
    form = opened[opened.index('<dialog id="comment-dialog"') : opened.index("</dialog>")]
    assert f'<form method="post" action="/requests/{acme_request.pk}/comment/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'<a class="button" href="/requests/{acme_request.pk}/" data-close-dialog>' in form


def test_a_plain_post_adds_the_comment_and_an_empty_one_keeps_the_dialog_open(client, acme_request):  # noqa: F811
    url = f"/requests/{acme_request.pk}/comment/"
    # an empty comment: the page comes back with the dialog open and the error in it
    response = client.post(url, {"message": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert dialog_tag(body).endswith(" open>") and 'id="err-comment-message"' in body
    # a comment: sent, back to the page, in the history
    response = client.post(url, {"message": "Proszę o szybką decyzję."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/requests/{acme_request.pk}/"
    assert "Proszę o szybką decyzję." in response.content.decode()
    assert " open" not in dialog_tag(response.content.decode())
