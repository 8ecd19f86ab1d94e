"""Celery tasks of the clients app: the invitation e-mail of a new colleague."""

from __future__ import annotations

from celery import shared_task

from backend.accounts.account_emails import AccountEmail, record_account_email
from backend.accounts.tasks import ACCOUNT_EMAIL_TASK_OPTIONS
from backend.clients.models import ClientMembership


@shared_task(**ACCOUNT_EMAIL_TASK_OPTIONS)
def send_invitation_email(user_id: int, client_id: int, inviter: str = "") -> None:
    """The activation link as in the welcome e-mail (accounts.activation, 7 days), naming the company; a
    user who has set a password already gets the login link instead (decided when the e-mail is made).

    Recorded as an account e-mail (a delivery of notifications: kept, retried, shown when it fails), and
    skipped when the membership is gone or suspended by the time the worker runs. Someone who had an
    account already (an invited membership) is asked to log in and accept instead (`to_accept`).
    """
    statuses = (ClientMembership.Status.ACTIVE, ClientMembership.Status.INVITED)
    membership = (
        ClientMembership.objects.select_related("user")
        .filter(user_id=user_id, client_id=client_id, status__in=statuses)
        .first()
    )
    if membership is None or not membership.user.is_active:
        return
    to_accept = membership.status == ClientMembership.Status.INVITED
    record_account_email(
        membership.user, AccountEmail.INVITATION, client_id=client_id, inviter=inviter, to_accept=to_accept
    )
