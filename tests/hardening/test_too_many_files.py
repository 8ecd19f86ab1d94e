"""A body with more files than DATA_UPLOAD_MAX_NUMBER_FILES is refused by Django before any view.

The page said only "Bad Request" and the person who chose a whole folder lost the way back to what they typed;
the API said "The request could not be processed" with no word of why. Both now say it (portal_ui/bad_request.py).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.logged_in_clients import api_client_as, browsing_as


def files(count: int) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"scan-{n}.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        for n in range(count)
    ]


@pytest.fixture
def hundred_and_one(settings) -> list[SimpleUploadedFile]:
    return files(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)


def test_a_form_with_too_many_files_says_so_and_leads_back_to_its_page(
    client_user, acme_contract, hundred_and_one
):
    # given: a client on the new message form
    browser = browsing_as(client_user)
    form_page = reverse("message-new")

    # when: the form goes with 101 files
    response = browser.post(
        form_page,
        {"subject": "Skany", "body": "W załączeniu", "files": hundred_and_one},
        HTTP_REFERER=f"http://testserver{form_page}",
    )

    # then: a portal page says why nothing was sent and leads back to the form
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="too-many-files"' in page
    assert "Za dużo plików w jednym żądaniu: najwyżej 100; nic nie zostało wysłane." in page
    assert f'href="http://testserver{form_page}" data-testid="too-many-files-back"' in page
    # and the form's page offers the kept text (forms.js reads the note tagged NOT_SENT_TAG)
    back = browser.get(form_page).content.decode()
    assert "Formularz nie został wysłany: zawierał za dużo plików." in back


def test_a_form_with_the_most_files_django_takes_is_not_this_page(client_user, acme_contract, settings):
    browser = browsing_as(client_user)

    response = browser.post(
        reverse("message-new"),
        {"subject": "", "body": "", "files": files(settings.DATA_UPLOAD_MAX_NUMBER_FILES)},
    )

    assert 'data-testid="too-many-files"' not in response.content.decode()


def test_an_upload_with_too_many_files_is_a_400_in_the_error_shape_saying_why(
    client_user, acme_contract, hundred_and_one
):
    api = api_client_as(client_user)

    response = api.post(reverse("requests-attachments"), {"file": hundred_and_one}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "message": "Za dużo plików w jednym żądaniu: najwyżej 100; nic nie zostało wysłane.",
        "fields": {},
    }
