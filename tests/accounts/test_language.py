import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_browser_asking_for_english_still_gets_polish(client):
    # given a first-time visitor whose browser prefers English
    # when they open the login page
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    # then the portal answers in Polish
    assert response["Content-Language"] == "pl"
    assert '<html lang="pl">' in response.content.decode()


def test_language_cookie_switches_an_anonymous_visitor_to_english(client):
    # given a visitor who chose English earlier
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when
    response = client.get("/login/")
    # then
    assert response["Content-Language"] == "en"


def test_unknown_cookie_value_falls_back_to_polish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "pl"


def test_users_saved_language_wins_over_the_cookie(client, client_user):
    # given a user who works in English, on a machine whose cookie says Polish
    client_user.language = "en"
    client_user.save()
    client.force_login(client_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    # when
    response = client.get("/")
    # then
    assert response["Content-Language"] == "en"


def test_switching_language_is_saved_on_the_user(client, client_user):
    # given a logged-in user on Polish
    client.force_login(client_user)
    assert client_user.language == "pl"
    # when they press EN
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    # then the choice is stored for later e-mails and the next page is English
    assert response.status_code == 302
    client_user.refresh_from_db()
    assert client_user.language == "en"
    assert client.get("/")["Content-Language"] == "en"


def test_switching_language_anonymously_only_sets_the_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/login/")["Content-Language"] == "en"


def test_switching_to_an_unsupported_language_changes_nothing(client, client_user):
    client.force_login(client_user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    client_user.refresh_from_db()
    assert client_user.language == "pl"


def test_the_language_chosen_on_the_login_page_stays_after_logging_in(client, client_user, password):
    # given: a user who works in Polish chooses English on the login page
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    # when they log in
    client.post("/login/", {"username": client_user.email, "password": password})
    # then the portal stays English, and remembers it
    assert client.get("/")["Content-Language"] == "en"
    client_user.refresh_from_db()
    assert client_user.language == "en"


def test_the_login_page_after_a_logout_speaks_the_users_language(client, client_user):
    # given a user who works in English on a machine whose cookie says Polish
    client_user.language = "en"
    client_user.save()
    client.force_login(client_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    # when they log out
    client.post("/logout/")
    # then the login page they land on is English
    assert client.get("/login/")["Content-Language"] == "en"
