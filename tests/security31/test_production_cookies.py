"""In production every cookie the portal sets is Secure: the language choice too, not only the session,
CSRF, "remember this device" and bank hand-off cookies. A cookie without Secure is sent over plain http
(a network attacker's http:// link on another port, before HSTS is known) and can be set by such a page
over the https one, pinning the language of the portal's pages and e-mails."""

from __future__ import annotations

from tests.core.test_production_safety import SETUP, STRONG_KEY, run_portal_python

CHOOSE_ENGLISH = SETUP + (
    "django.setup(); from django.test import RequestFactory; from django.views.i18n import set_language; "
    "response = set_language(RequestFactory().post('/i18n/setlang/', {'language': 'en', 'next': '/login/'}, "
    "secure=True, HTTP_HOST='portal.example')); "
    "cookie = response.cookies['django_language']; "
    "print(response.status_code, bool(cookie['secure']), bool(cookie['httponly']), cookie['samesite'])"
)


def test_the_language_cookie_is_secure_in_production(tmp_path):
    result = run_portal_python(
        tmp_path, CHOOSE_ENGLISH, DJANGO_PRODUCTION="true", DJANGO_SECRET_KEY=STRONG_KEY
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["302", "True", "True", "Lax"]


def test_outside_production_it_works_over_plain_http(tmp_path):
    code = CHOOSE_ENGLISH.replace("secure=True, HTTP_HOST='portal.example'", "HTTP_HOST='localhost'")
    result = run_portal_python(tmp_path, code, DJANGO_ALLOWED_HOSTS="localhost")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["302", "False"]
