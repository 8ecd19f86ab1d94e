from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from backend.accounts.models import User
from tests.factories import PASSWORD, ClientFactory, MembershipFactory, UserFactory
from tests.second_factor_helpers import code_of

pytestmark = pytest.mark.django_db


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_client_user_logs_in_with_email_and_lands_on_home(client, client_user):
    # when
    response = log_in(client, "anna.kowalska@acme.pl")
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_with_uppercase_email_fails_cleanly(client, client_user):
    response = log_in(client, "nobody@acme.pl")
    assert response.status_code == 200
    assert "alert" in response.content.decode()


def test_staff_logging_in_are_sent_to_the_back_office(client, bok_staff):
    code = code_of(bok_staff)  # staff have an authenticator app and confirm with its code
    log_in(client, bok_staff.email)
    response = client.post(reverse("second_factor_verify"), {"code": code})
    assert response["Location"] == reverse("staff-home")
    # and "/" sends them there too instead of a client page
    assert client.get("/")["Location"] == reverse("staff-home")
    assert client.get(reverse("staff-home")).status_code == 200


def test_five_failed_attempts_lock_the_account(client, client_user):
    # given four failed attempts within 15 minutes
    for _ in range(4):
        assert log_in(client, client_user.email, "wrong-password").status_code == 200
    # when the fifth fails too
    assert log_in(client, client_user.email, "wrong-password").status_code == 429
    # then even the right password meets the lock-out page, in Polish
    response = log_in(client, client_user.email)
    assert response.status_code == 429
    body = response.content.decode()
    assert 'data-testid="locked-out"' in body
    assert "zablokowane" in body
    assert "_auth_user_id" not in client.session


def test_four_failed_attempts_do_not_lock(client, client_user):
    for _ in range(4):
        log_in(client, client_user.email, "wrong-password")
    assert log_in(client, client_user.email).status_code == 302


def test_lock_out_ends_after_15_minutes(client, client_user):
    for _ in range(5):
        log_in(client, client_user.email, "wrong-password")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert log_in(client, client_user.email).status_code == 302


def test_lock_out_page_in_english(client, client_user):
    client.cookies["django_language"] = "en"
    for _ in range(5):
        log_in(client, client_user.email, "wrong-password")
    response = log_in(client, client_user.email)
    assert response.status_code == 429
    assert "Account temporarily locked" in response.content.decode()


def test_logout_is_a_post(client, client_user):
    client.force_login(client_user)
    # a GET (a typed /logout/) only asks: logging out stays a POST, so no link or image can log anyone out
    assert client.get(reverse("logout")).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, client_user):
    # given
    client.force_login(client_user)
    # when
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Nowe-haslo-2026!", "new_password2": "Nowe-haslo-2026!"},
    )
    # then the user stays logged in and the new password works
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    client_user.refresh_from_db()
    assert client_user.check_password("Nowe-haslo-2026!")


def test_password_change_with_wrong_old_password_shows_the_error(client, client_user):
    client.force_login(client_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "Nowe-haslo-2026!", "new_password2": "Nowe-haslo-2026!"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    client_user.refresh_from_db()
    assert client_user.check_password(PASSWORD)


def test_password_change_needs_login(client):
    assert client.get(reverse("password_change")).status_code == 302


def test_session_expires_after_30_minutes_of_inactivity(client, client_user):
    # given a login
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, client_user.email)
    # when the user keeps clicking every 25 minutes, the session slides
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get(reverse("home")).status_code == 200
    # then 31 idle minutes later they must log in again
    with time_machine.travel(start + timedelta(minutes=81), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_session_is_written_at_most_once_a_minute_while_browsing(client, client_user):
    # given a login
    from django.contrib.sessions.models import Session

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, client_user.email)
        client.get(reverse("home"))
    key = client.cookies["sessionid"].value
    first_expiry = Session.objects.get(session_key=key).expire_date

    # when the user clicks again 20 seconds later, the session row is not rewritten
    with time_machine.travel(start + timedelta(seconds=20), tick=False):
        assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == first_expiry

    # then a click two minutes later slides the expiry forward
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > first_expiry


@pytest.mark.parametrize("url_name", ["staff-home", "analyst-home"])
def test_client_users_get_403_in_back_office_areas(client, client_user, url_name):
    client.force_login(client_user)
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in response.content.decode()


def test_staff_get_403_in_the_analyst_area(client, bok_staff):
    client.force_login(bok_staff)
    assert client.get(reverse("analyst-home")).status_code == 403


def test_analyst_and_admin_reach_both_back_office_areas(client, analyst):
    admin = UserFactory(email="admin@leasing.example", role=User.Role.ADMIN)
    for user in (analyst, admin):
        client.force_login(user)
        assert client.get(reverse("staff-home")).status_code == 200
        assert client.get(reverse("analyst-home")).status_code == 200


def test_anonymous_visitors_are_sent_to_login_not_403(client):
    response = client.get(reverse("staff-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_client_user_without_a_client_gets_a_clear_403(client):
    orphan = UserFactory(email="sam@nowhere.pl")
    client.force_login(orphan)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "Skontaktuj się z Biurem Obsługi Klienta." in response.content.decode()


# --- client switcher ------------------------------------------------------------------------------


@pytest.fixture
def partner(acme):
    """A user acting for acme and for a second company."""
    user = UserFactory(email="wspolnik@firma.pl")
    MembershipFactory(user=user, client=acme, is_default=True)
    MembershipFactory(user=user, client=ClientFactory(name="Beta Transport sp. j."), is_default=False)
    return user


def test_switcher_changes_the_active_client(client, partner):
    # given
    beta = partner.memberships.get(is_default=False).client
    client.force_login(partner)
    assert "ACME" in client.get(reverse("home")).content.decode()
    # when
    response = client.post(reverse("switch-client"), {"client_id": beta.pk, "next": "/"})
    # then
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert 'name="client_id"' in page
    assert f'<option value="{beta.pk}" selected>' in page


def test_switching_to_a_foreign_client_gives_404_and_keeps_the_active_one(client, partner, other_company):
    client.force_login(partner)
    client.get(reverse("home"))
    before = client.session["active_client_id"]
    response = client.post(reverse("switch-client"), {"client_id": other_company.pk})
    assert response.status_code == 404
    assert client.session["active_client_id"] == before


@pytest.mark.parametrize("bad", ["", "abc", "999999"])
def test_switcher_rejects_bad_ids(client, partner, bad):
    client.force_login(partner)
    assert client.post(reverse("switch-client"), {"client_id": bad}).status_code == 404


def test_switcher_ignores_offsite_next(client, partner):
    beta = partner.memberships.get(is_default=False).client
    client.force_login(partner)
    response = client.post(reverse("switch-client"), {"client_id": beta.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_switcher_is_post_only(client, partner):
    client.force_login(partner)
    # A GET switches nothing: back to the page of the form (portal_ui/post_only_pages.py), not a bare 405.
    response = client.get(reverse("switch-client"))
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_staff_cannot_use_the_switcher(client, bok_staff, acme):
    client.force_login(bok_staff)
    assert client.post(reverse("switch-client"), {"client_id": acme.pk}).status_code == 403


def test_single_client_user_sees_no_switcher(client, client_user):
    client.force_login(client_user)
    assert 'name="client_id"' not in client.get(reverse("home")).content.decode()
