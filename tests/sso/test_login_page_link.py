from django.urls import reverse


def test_login_page_links_to_the_bank_simulator_and_password_reset(client, db):
    # when
    body = client.get(reverse("login")).content.decode()

    # then
    assert "Zaloguj z bankowości internetowej (demo)" in body
    assert f'href="{reverse("bank_simulator_login")}"' in body
    assert f'href="{reverse("password_reset")}"' in body


def test_login_page_has_no_demo_bank_link_when_the_demo_bank_is_off(client, db, settings):
    settings.BANK_SIMULATOR_ENABLED = False
    body = client.get(reverse("login")).content.decode()
    assert "bank-login-link" not in body
    assert f'href="{reverse("password_reset")}"' in body
