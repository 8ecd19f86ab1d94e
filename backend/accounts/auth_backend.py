"""The password login's backend: Django's ModelBackend, with the user of every request read by one
prepared statement, and the e-mail of a login matched whatever its case.

Django loads the session's user through its backend on every request; `get_user` keeps ModelBackend's
rule (an inactive user is no user). Permissions and the session's password hash check are Django's own.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from backend.accounts.models import User
from backend.core.prepared_reads import PreparedRead

# The dotted path sessions, logins and AUTHENTICATION_BACKENDS name this backend by.
PASSWORD_BACKEND = "backend.accounts.auth_backend.PasswordBackend"

_USER_BY_ID = PreparedRead(lambda pk: User._default_manager.filter(pk=pk)[:1], ints=("pk",))


def login_username(request, credentials: dict | None = None) -> str:
    """The e-mail a login names as axes counts its failures (AXES_USERNAME_CALLABLE): one count whatever
    its case or surrounding spaces ("Anna@X.pl " and "anna@x.pl" are one account, not two counters)."""
    if credentials:
        raw = credentials.get("username", "")
    else:
        raw = request.POST.get("username", "") if request is not None else ""
    return str(raw or "").strip().lower()


class PasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs) -> User | None:
        """ModelBackend's check, the address matched case-insensitively (reset and invitations already
        are): "KSIEGOWA@DEMO.PL" logs in as ksiegowa@demo.pl."""
        username = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        email = str(username).strip()
        matches = User._default_manager.filter(email__iexact=email)
        user = matches.filter(email=email).first() or matches.first()
        if user is None:
            User().set_password(password)  # the same work as for a known address: no timing difference
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id) -> User | None:
        if not isinstance(user_id, int):
            return super().get_user(user_id)
        user = _USER_BY_ID.first(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
