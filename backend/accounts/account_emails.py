"""E-mails about a user's own account, recorded as outbox events and sent by notifications as deliveries.

Like a request's e-mails they get a Delivery row: a failure (the mail server down, a broken mail
configuration) is kept with its error, retried with back-off, counted on the admin dashboard and can be
sent again from the admin. The event names the e-mail only: its one-time link (activation, password
reset) is made when the e-mail is rendered, at each attempt, so no usable token is stored anywhere.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from backend.accounts.models import User
from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event


class AccountEmail(StrEnum):
    """The account e-mails; each is also its delivery's template name (notifications/account_emails.py)."""

    PASSWORD_RESET = "password_reset"
    ACTIVATION = "activation"
    SECOND_FACTOR_RESET = "second_factor_reset"
    # The user changed their own second factor (backend/accounts/second_factor.py: SecondFactorChange).
    SECOND_FACTOR_CHANGED = "second_factor_changed"
    # The user's password was changed (backend/accounts/password_change.py): the reset link or "Zmień hasło".
    PASSWORD_CHANGED = "password_changed"
    INVITATION = "invitation"  # to a colleague a client's administrator added (backend/clients/members.py)


def record_account_email(user: User, email: AccountEmail, **payload: Any) -> OutboxEvent:
    """Write the outbox event of `email` to `user` (no client: never pushed, no notice); its delivery is
    made and sent after commit. `payload`: ids and names the e-mail shows, never a link or a token."""
    return record_outbox_event(
        kind=OutboxEvent.Kind.ACCOUNT_EMAIL,
        subject=user,
        client_id=None,
        payload={"email": str(email), **payload},
    )
