"""The people a task or a thread can be given to, as the staff pages list them: the task and thread pages'
"Assign to" selects and the task list's assignee filter. Who they are is customer_service's rule; here only
how each is named, the user themself marked "(me)" in one spelling for every list."""

from __future__ import annotations

from django.utils.translation import pgettext

from backend.accounts.customer_service import assignable_staff
from backend.accounts.models import User


def assignee_choices(user: User, *, leave_out_self: bool = False) -> list[tuple[str, str]]:
    """(id, name) choices by surname; `user` marked "(me)", or left out where the list offers "Me" first
    (the task list's filter), so no one is offered twice."""
    choices = []
    for member in assignable_staff():
        name = member.get_full_name() or member.email
        if member.pk == user.pk:
            if leave_out_self:
                continue
            name = pgettext("assignee", "%(name)s (me)") % {"name": name}
        choices.append((str(member.pk), name))
    return choices
