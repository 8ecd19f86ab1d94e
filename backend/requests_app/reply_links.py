"""Reply by link: the contact person answers the open question of a request from the e-mail, without
logging in. The link is scoped to that request and that question, works until the client's wait for the
reply ends (reply_link_expiry), once, and every use (or refused use) is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.clients.access_rules import Area, may_act_on
from backend.clients.models import ClientMembership
from backend.core.exceptions import PortalError
from backend.core.services import record_audit
from backend.requests_app.client_waits import wait_end, wait_ended_text
from backend.requests_app.models import PortalRequest, ReplyLink, RequestEvent, RequestStatus
from backend.requests_app.services import reply_to_request

# A wait without an end of its own keeps the link this long; none is kept longer than REPLY_LINK_CAP.
REPLY_LINK_LIFETIME = timedelta(days=7)
REPLY_LINK_CAP = timedelta(days=30)
USED = "reply_link_used"
REFUSED = "reply_link_refused"


class ReplyLinkRefused(PortalError):
    status = 410
    code = "reply_link_invalid"

    def __init__(self, reason: str, message: str = ""):
        self.reason = reason
        self.wait_ended = bool(message)  # a complaint's wait ended without a reply (wait_ended_text)
        messages = {
            "unknown": _("This link is not valid."),
            "used": _("This link has already been used to send a reply."),
            "expired": _("This link has expired."),
            "answered": _("This question has already been answered or the request has moved on."),
            "no_access": _(
                "This link no longer works: its recipient no longer has access to this request in the portal."
            ),
        }
        super().__init__(message or str(messages[reason]))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_question(portal_request: PortalRequest) -> RequestEvent | None:
    """The question the client is asked now, if the request waits for the client."""
    if portal_request.status != RequestStatus.WAITING_FOR_CLIENT:
        return None
    return (
        portal_request.events.filter(kind=RequestEvent.Kind.QUESTION).order_by("-created_at", "-pk").first()
    )


@dataclass(frozen=True)
class IssuedLink:
    token: str
    expires_at: datetime

    @property
    def valid_through(self) -> date:
        """The last full day the link works, the day its e-mail names: counted like the client's reply-by
        day (client_waits.WaitEnd.reply_by_day), so a link ending with the wait names that very day."""
        return timezone.localdate(self.expires_at) - timedelta(days=1)


def reply_link_expiry(portal_request: PortalRequest, *, now: datetime) -> datetime:
    """When a link issued at `now` stops working: when the client's wait for the reply ends (the cancel, a
    complaint's reply-by moment), so the link lasts as long as the reply is awaited; REPLY_LINK_LIFETIME for
    a wait without an end; never past REPLY_LINK_CAP from now, never before now."""
    end = wait_end(portal_request)
    reply_by = end.reply_by if end is not None else None
    expiry = reply_by if reply_by is not None else now + REPLY_LINK_LIFETIME
    return max(now, min(expiry, now + REPLY_LINK_CAP))


def issue_reply_link(*, portal_request: PortalRequest, email: str) -> IssuedLink | None:
    """Return a new link for the open question, or None when the request waits for nobody."""
    question = open_question(portal_request)
    if question is None:
        return None
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = reply_link_expiry(portal_request, now=now)
    # One live link per address and question: the reminder's fresh link retires the question's own, which
    # would otherwise work as long (each until the wait ends).
    ReplyLink.objects.filter(
        request=portal_request,
        question=question,
        email__iexact=email,
        used_at__isnull=True,
        expires_at__gt=now,
    ).update(expires_at=now)
    ReplyLink.objects.create(
        request=portal_request,
        question=question,
        email=email,
        token_hash=_hash(token),
        expires_at=expires_at,
    )
    return IssuedLink(token=token, expires_at=expires_at)


def _refuse(reason: str, request: HttpRequest | None, message: str = "") -> ReplyLinkRefused:
    record_audit(action=REFUSED, request=request, success=False, reason=reason)
    return ReplyLinkRefused(reason, message)


def _link_of(token: str) -> ReplyLink | None:
    """The link of `token` whatever its state (used, expired), with its request and question."""
    if not token or len(token) > 128:
        return None
    return ReplyLink.objects.select_related("request", "question").filter(token_hash=_hash(token)).first()


def find_reply_link(token: str, *, request: HttpRequest | None = None) -> ReplyLink:
    """Return the usable link of `token` with its request and question, or raise ReplyLinkRefused
    (audited: an attempt with a wrong, used or expired link is worth knowing about)."""
    link = _link_of(token)
    if link is None:
        raise _refuse("unknown", request)
    if link.used_at is not None:
        raise _refuse("used", request)
    if link.expires_at <= timezone.now():
        # A link ends with the wait (reply_link_expiry): a complaint's wait that ended says when, and what
        # follows, as after it ("answered" below).
        raise _refuse("expired", request, message=wait_ended_text(link.request))
    question = open_question(link.request)
    if question is None or question.pk != link.question_id:
        # A complaint's wait that ended without a reply says when, and what follows.
        raise _refuse("answered", request, message=wait_ended_text(link.request))
    if not may_reply(_replying_user(link), link.request):
        raise _refuse("no_access", request)
    return link


def _contact_account(link: ReplyLink) -> User | None:
    """The portal account the link's e-mail went to, if the address has one (in any company)."""
    return User.objects.filter(email__iexact=link.email).order_by("pk").first()


def _replying_user(link: ReplyLink) -> User:
    """The user whose access the link follows: the contact person's own account when the address has one,
    else the submitter's (a contact person outside the portal answers on the submitter's access; the
    history names their address, not the submitter: reply_by_link)."""
    return _contact_account(link) or link.request.submitted_by


def may_reply(user: User, portal_request: PortalRequest) -> bool:
    """Could `user` answer this request logged in? The client API's rule (an active membership whose role
    writes requests and whose contracts hold the request's), so a link stops working with the access:
    a suspended or removed member, or one whose role or contracts no longer cover the request."""
    if not (user.is_active and user.is_client_user):
        return False
    membership = ClientMembership.objects.filter(user=user, client_id=portal_request.client_id).first()
    return may_act_on(
        membership,
        Area.REQUESTS,
        portal_request.contract_id,
        write=True,
        author_id=portal_request.submitted_by_id,
    )


def recipient_language(token: str) -> str | None:
    """The language the link's e-mail was written in: its recipient's saved one (also for a used or
    expired link, so its refusal speaks it too); None for an unknown link or a contact person without
    an account, whose e-mail was in Polish."""
    link = _link_of(token)
    contact = _contact_account(link) if link is not None else None
    return contact.language if contact is not None else None


def reply_by_link(*, token: str, message: str, request: HttpRequest | None = None) -> PortalRequest:
    """Answer the link's question with `message`: the same step as a reply in the portal."""
    link = find_reply_link(token, request=request)  # outside the transaction: a refusal stays audited
    with transaction.atomic():
        locked = ReplyLink.objects.select_for_update().get(pk=link.pk)
        if locked.used_at is not None:  # a second click that raced the first
            raise ReplyLinkRefused("used")
        contact = _contact_account(link)
        portal_request = reply_to_request(
            user=contact or link.request.submitted_by,  # _replying_user, read once
            portal_request=link.request,
            message=message,
            attachment_ids=[],
            event_data={"via": "reply_link", "email": link.email},
            outside_contact=contact is None,
        )
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        record_audit(
            action=USED,
            request=request,
            user=contact,
            username=link.email,
            request_number=link.request.number,
            email=link.email,
        )
        return portal_request
