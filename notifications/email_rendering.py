"""What every notification e-mail shares: its template rendered in the recipient's language, the domain of
its fixed Message-ID, and EmailNotNeeded, the refusal to send one whose purpose is over."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from backend.accounts.models import User
from backend.core import mail

TEMPLATE_DIR = "notifications/email"


class EmailNotNeeded(Exception):
    """What the e-mail asks for is over by the time it would go (the client withdrew the request, replied,
    or staff decided it): nothing is sent. `reason` says why, for the delivery's record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def render_email(
    *, template: str, user: User | None, context: dict, message_id: str | None = None, address: str = ""
) -> EmailMultiAlternatives:
    """Render the notification e-mail `template` (a name in notifications/email/) in the user's language."""
    return mail.render_email(
        template=f"{TEMPLATE_DIR}/{template}",
        user=user,
        context=context,
        message_id=message_id,
        address=address,
    )


def message_id_domain() -> str:
    """The domain of the e-mails' Message-IDs: the sender's."""
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "portal.local"
