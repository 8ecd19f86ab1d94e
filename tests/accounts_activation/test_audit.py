from __future__ import annotations

from django.urls import reverse

from backend.core.models import AuditLog


def test_login_and_failed_login_are_audited(client, client_user, password):
    # when
    client.post(
        reverse("login"),
        {"username": client_user.email, "password": "wrong-password"},
        REMOTE_ADDR="10.1.2.3",
    )
    client.post(
        reverse("login"), {"username": client_user.email, "password": password}, REMOTE_ADDR="10.1.2.3"
    )

    # then
    failed = AuditLog.objects.get(action="login_failed")
    assert failed.username == client_user.email
    assert failed.success is False
    assert failed.ip_address == "10.1.2.3"
    login = AuditLog.objects.get(action="login")
    assert login.user == client_user
    assert login.detail == {"method": "password"}
    assert "wrong-password" not in str(failed.detail)
