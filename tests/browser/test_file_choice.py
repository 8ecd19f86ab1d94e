"""A file field speaks the page's language: the browser's own control says "Choose Files / No file chosen"
in the browser's language (English in these tests), whatever the page's; portal_ui/static/portal_ui/
file_choice.js draws a button and the chosen names in the page's words beside the input, which stays what
the form sends and what the keyboard focuses."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_file_field_is_in_polish_shows_the_chosen_names_and_opens_the_dialog(
    page, login, client_user, tmp_path
):
    first, second = tmp_path / "umowa.pdf", tmp_path / "aneks.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF)
    login(page, client_user)
    page.goto("/messages/new/")
    field = page.locator(".file-choice").filter(has=page.locator("#id_attachments"))

    # the page's words, not the browser's control (1 px, beside its own button)
    assert field.locator(".file-choice-button").inner_text() == "Wybierz pliki"
    assert field.locator(".file-choice-names").inner_text() == "Nie wybrano pliku"
    size = page.locator("#id_attachments").bounding_box()
    assert size["width"] <= 1 and size["height"] <= 1

    # choosing files names them
    page.set_input_files("#id_attachments", [str(first), str(second)])
    assert field.locator(".file-choice-names").inner_text() == "umowa.pdf, aneks.pdf"

    # a click on the button opens the browser's dialog
    with page.expect_file_chooser() as chooser:
        field.locator(".file-choice-button").click()
    assert chooser.value.is_multiple()

    # the keyboard reaches the input from the field before it, and its focus shows on the button
    page.focus("#id_body")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_attachments"
    outline = field.locator(".file-choice-button").evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline != "none"


def test_the_file_field_speaks_english_on_an_english_page(page, login, client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    login(page, client_user)
    page.goto("/messages/new/")

    assert page.locator(".file-choice-button").first.inner_text() == "Choose files"
    assert page.locator(".file-choice-names").first.inner_text() == "No file chosen"
