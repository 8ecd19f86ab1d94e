"""The committed API calls and the colleague named as contact person of tests/notification_recipients."""

from __future__ import annotations

from tests.notification_recipients.conftest import committed, contact_user  # noqa: F401  fixtures
