"""The password login's backend: Django's ModelBackend, with the user of every request read by one
prepared statement.

Django loads the session's user through its backend on every request; `get_user` is the only change,
and it keeps ModelBackend's rule (an inactive user is no user). Login, permissions and the session's
password hash check are Django's own.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from backend.accounts.models import User
from backend.core.prepared_reads import PreparedRead

# The dotted path sessions, logins and AUTHENTICATION_BACKENDS name this backend by.
PASSWORD_BACKEND = "backend.accounts.auth_backend.PasswordBackend"

_USER_BY_ID = PreparedRead(lambda pk: User._default_manager.filter(pk=pk)[:1], ints=("pk",))


class PasswordBackend(ModelBackend):
    def get_user(self, user_id) -> User | None:
        if not isinstance(user_id, int):
            return super().get_user(user_id)
        user = _USER_BY_ID.first(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
