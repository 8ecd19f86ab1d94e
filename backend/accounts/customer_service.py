"""Who works the clients' requests and messages: the people a task or a message thread can be given to, the
"Assign to" lists of the task and thread pages and the task list's assignee filter, and what the staff API
accepts as an assignee.

Staff (customer service) always; an administrator or a process analyst only while a member of the group
"Obsługa klienta" (CUSTOMER_SERVICE_GROUP, created by a migration; members kept in the Django admin,
Users → Groups), as at a small lessor who also answers clients. Inactive accounts never.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from backend.accounts.models import User

CUSTOMER_SERVICE_GROUP = "Obsługa klienta"
# Said at the "assign to" field of the pages, the APIs and the services alike.
NOT_ASSIGNABLE = gettext_lazy("Choose someone from customer service.")


def assignable_staff() -> QuerySet[User]:
    """The active users who work requests, by surname, first name and e-mail."""
    # A subquery, not a join on the groups: a staff member in several groups would be listed once each.
    in_group = User.objects.filter(groups__name=CUSTOMER_SERVICE_GROUP).values("pk")
    return User.objects.filter(
        Q(role=User.Role.STAFF) | Q(role__in=[User.Role.ANALYST, User.Role.ADMIN], pk__in=in_group),
        is_active=True,
    ).order_by("last_name", "first_name", "email")


def is_assignable(user: User) -> bool:
    """Whether a task or a thread may be given to `user`: the rule of assignable_staff, for the services."""
    return assignable_staff().filter(pk=user.pk).exists()
