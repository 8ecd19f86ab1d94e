"""Who supervises the back office: complaints near their statutory deadline escalate to these people.

They are the active back-office users in the group "Przełożeni" (SUPERVISOR_GROUP, created by a migration),
whose members are kept in the Django admin (Users → Groups). While the group has no active member the
escalation goes to the active administrators, so it is never lost.
"""

from __future__ import annotations

from backend.accounts.models import User

SUPERVISOR_GROUP = "Przełożeni"
BACK_OFFICE_ROLES = (User.Role.STAFF, User.Role.ANALYST, User.Role.ADMIN)


def supervisors() -> list[User]:
    """The active members of the supervisor group, or the active administrators while it has none."""
    members = list(
        User.objects.filter(is_active=True, role__in=BACK_OFFICE_ROLES, groups__name=SUPERVISOR_GROUP)
        .distinct()
        .order_by("id")
    )
    if members:
        return members
    return list(User.objects.filter(is_active=True, role=User.Role.ADMIN).order_by("id"))
