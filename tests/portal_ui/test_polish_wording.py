"""What a language review found on the pages: texts another catalog replaced, masculine-only Polish
addressed to every user, and Django's stock password-change form."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page(client, url: str, lang: str = "pl", user=None) -> str:
    if user is not None:  # a logged-in user's saved language wins over the cookie
        user.language = lang
        user.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url).content.decode()


def test_breadcrumbs_are_named_in_polish_not_by_the_admins_catalog(client, client_user, thread):
    # given
    client.force_login(client_user)
    # when
    html = page(client, reverse("message-page", args=[thread.pk]))
    # then
    assert 'aria-label="Ścieżka nawigacji"' in html
    assert 'aria-label="Breadcrumbs"' in page(
        client, reverse("message-page", args=[thread.pk]), "en", client_user
    )


def test_bank_login_without_a_hand_off_speaks_neutral_polish(client):
    # when: the continue address is opened without a hand-off from the bank
    html = page(client, reverse("sso_bank_continue"))
    # then
    assert "Nie zalogowano Cię. Możesz zalogować się adresem e-mail i hasłem." in html
    assert "zostałeś" not in html
    assert "You have not been logged in" in page(client, reverse("sso_bank_continue"), "en")


def test_log_in_to_continue_does_not_assume_a_man(client):
    # when: a page that needs a login sends a browser whose session was ended to the login page
    html = page(client, reverse("login") + "?next=/&ended=ended")
    # then
    assert "Sesja została zakończona: nastąpiło wylogowanie w innym oknie" in html
    assert "byłeś" not in html and "wylogowałeś" not in html
    assert "Your session was ended" in page(client, reverse("login") + "?next=/&ended=ended", "en")


def test_password_change_form_speaks_the_portals_words(client, client_user):
    # given
    client.force_login(client_user)
    url = reverse("password_change")
    # when
    html = page(client, url)
    # then: the portal's labels, without Django's colons and stock help texts
    assert ">Obecne hasło</label>" in html and ">Nowe hasło</label>" in html
    assert ">Powtórz nowe hasło</label>" in html
    assert "Stare hasło" not in html and "(powtórz)" not in html and "dla weryfikacji" not in html
    assert "twoich innych danych" not in html
    assert "Wybierz hasło o długości co najmniej 10 znaków, które trudno odgadnąć." in html
    english = page(client, url, "en", client_user)
    assert ">Current password</label>" in english and "Old password:" not in english

    # when: the current password is wrong
    page(client, url, "pl", client_user)
    wrong = client.post(
        url,
        {
            "old_password": "nie-to-haslo",
            "new_password1": "Zielone-Jablko-77",
            "new_password2": "Zielone-Jablko-77",
        },
    ).content.decode()
    # then
    assert "Obecne hasło jest nieprawidłowe. Wpisz je ponownie." in wrong
    assert "Proszę podać je jeszcze raz" not in wrong
