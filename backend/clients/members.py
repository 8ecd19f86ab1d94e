"""The client administrator's actions on the company's users: invite, change, suspend, resume, remove;
and the invited person's: accept or decline.

One function per action, shared by the "Użytkownicy" page and the API; each reads top to bottom in one
transaction: lock the company's memberships, check, write, audit (the audit log is the page's history),
and an invitation's activation e-mail after commit (its one-time code goes back to the administrator). A company always keeps one active administrator.

An address with no account gets a new account and an active membership: the person accepts by activating
it with the link and the code the administrator hands over. An address that has an account already (a
user of another company) gets an invited membership that gives no access until that person accepts it
after logging in; until then the company sees only what its administrator typed, never the account's own
name, activation or last login (ClientMembership.person), and gets the same answer as for a new address
except the activation code, which only a new account needs. The lessor's own addresses are refused by their
domain, whether or not an account exists there (the refusal names no staff account).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from backend.accounts.activation_code import start_activation
from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership
from backend.core.exceptions import NotFound, PortalValidationError
from backend.core.services import record_audit


class MemberAudit:
    INVITED = "client_member_invited"
    CHANGED = "client_member_changed"
    SUSPENDED = "client_member_suspended"
    RESUMED = "client_member_resumed"
    REMOVED = "client_member_removed"
    ACTIVATION_REISSUED = "client_member_activation_reissued"
    ACCEPTED = "client_member_accepted"  # the invited person's own answers
    DECLINED = "client_member_declined"
    ALL = (INVITED, CHANGED, SUSPENDED, RESUMED, REMOVED, ACTIVATION_REISSUED, ACCEPTED, DECLINED)


@dataclass
class Access:
    """What the administrator sets for a member: role, administrator flag, contracts and extra rights."""

    role: str = ClientMembership.Role.OWNER
    is_admin: bool = False
    all_contracts: bool = True
    contract_ids: list[int] = field(default_factory=list)
    grants: list[str] = field(default_factory=list)


@dataclass
class AccessChange:
    """The parts of a member's access to change; None keeps the current value (the API's PATCH).

    The page posts every part; the rules (contracts for a limited role, one administrator stays) apply to
    the access that results, read under the company's lock.
    """

    role: str | None = None
    is_admin: bool | None = None
    all_contracts: bool | None = None
    contract_ids: list[int] | None = None
    grants: list[str] | None = None

    def applied_to(self, current: Access) -> Access:
        changed = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        return replace(current, **changed)


def activation_withdrawal(user: User) -> str | None:
    """Why a client user who has not activated yet may not (accounts asks: activation_withdrawn): every
    membership was removed or suspended by the company's administrator. Whom to ask is named."""
    if user.role != User.Role.CLIENT or user.has_usable_password():
        return None
    memberships = list(ClientMembership.objects.filter(user=user).select_related("client"))
    if any(m.status == ClientMembership.Status.ACTIVE for m in memberships):
        return None
    suspended = [m.client.name for m in memberships if m.status == ClientMembership.Status.SUSPENDED]
    if suspended:
        return _(
            "Your access to %(company)s has been suspended, so the account cannot be activated now. "
            "Ask the company's administrator to restore it."
        ) % {"company": ", ".join(sorted(suspended))}
    return _(
        "This invitation has been withdrawn: the company that invited you removed your access. If you "
        "should have it, ask the company's administrator to invite you again, or contact our customer service."
    )


def _contract_model():
    # By the relation, not by import: contracts sits above clients in the layers.
    return ClientMembership._meta.get_field("contracts").related_model


def _checked_contracts(client: Client, access: Access) -> list:
    """The client's contracts named by id; a limited role needs at least one (or "all contracts").

    Ids are checked even where they are not used (an owner, all contracts): another company's contract is
    refused by name, never silently dropped.
    """
    ids = set(access.contract_ids)
    contracts = list(_contract_model().objects.filter(client=client, pk__in=ids)) if ids else []
    if len(contracts) != len(ids):
        raise PortalValidationError(fields={"contract_ids": [_("Choose contracts of your company.")]})
    if access.role == ClientMembership.Role.OWNER or access.all_contracts:
        return []
    if not ids:
        raise PortalValidationError(fields={"contract_ids": [_("Choose the contracts this user may see.")]})
    return contracts


def _apply(membership: ClientMembership, access: Access, contracts: list) -> None:
    membership.role = access.role
    membership.is_admin = access.is_admin
    membership.all_contracts = access.role == ClientMembership.Role.OWNER or access.all_contracts
    # Extra rights add to an accountant's read-only role; an owner and a fleet manager have requests and
    # messages by the role, so a stored grant would be a box that changes nothing when unticked.
    membership.grants = sorted(set(access.grants)) if access.role == ClientMembership.Role.ACCOUNTANT else []
    membership.save()
    membership.contracts.set(contracts)


def _current_access(membership: ClientMembership) -> Access:
    return Access(
        role=membership.role,
        is_admin=membership.is_admin,
        all_contracts=membership.all_contracts,
        contract_ids=list(membership.contracts.values_list("pk", flat=True)),
        grants=list(membership.grants or []),
    )


def _summary(membership: ClientMembership) -> dict:
    """What the audit row keeps of a membership (ids and codes; the page translates them)."""
    return {
        "role": membership.role,
        "is_admin": membership.is_admin,
        "status": membership.status,
        "all_contracts": membership.all_contracts,
        "contract_ids": sorted(membership.contracts.values_list("pk", flat=True)),
        "grants": list(membership.grants or []),
    }


def _audit(action: str, *, actor: User, membership: ClientMembership, request: HttpRequest | None, **extra):
    record_audit(
        action=action,
        request=request,
        user=actor,
        client_id=membership.client_id,
        member_user_id=membership.user_id,
        member_email=membership.person.email,  # the company's history: what its administrators may see
        **extra,
    )


def _lock(client: Client) -> list[ClientMembership]:
    """Lock the company's memberships: two administrators acting at once cannot both drop the last one."""
    return list(ClientMembership.objects.select_for_update().filter(client=client).order_by("pk"))


def _keeps_an_admin(memberships: list[ClientMembership], *, without: ClientMembership) -> None:
    others = [
        m
        for m in memberships
        if m.pk != without.pk and m.is_admin and m.status == ClientMembership.Status.ACTIVE
    ]
    if not others:
        raise PortalValidationError(
            _("The company must keep at least one active administrator."),
            fields={"is_admin": [_("The company must keep at least one active administrator.")]},
        )


def _refuse_invited(membership: ClientMembership) -> None:
    """Suspending, resuming or re-activating a membership the person has not accepted would decide for them."""
    if membership.status == ClientMembership.Status.INVITED:
        raise PortalValidationError(_("This person has not accepted the invitation yet."))


def get_member(*, client: Client, membership_id: int) -> ClientMembership:
    membership = (
        ClientMembership.objects.select_related("user").filter(client=client, pk=membership_id).first()
    )
    if membership is None:
        raise NotFound()
    return membership


@dataclass
class Invitation:
    """The new membership and the one-time activation code to show the inviting administrator once.

    The code is "" when the person has activated an account already (they get the login link instead).
    """

    membership: ClientMembership
    activation_code: str = ""


def _start_activation(
    *, actor: User, client: Client, user: User, request: HttpRequest | None
) -> tuple[str, bool]:
    """Two channels for someone who has not activated yet: the link by e-mail, the code for the admin."""
    from backend.clients.tasks import send_invitation_email

    inviter = str(actor)
    if user.has_usable_password():
        return "", False
    code = start_activation(
        user,
        issued_by=actor,
        request=request,
        send_link=lambda: send_invitation_email.delay(user.pk, client.pk, inviter),
    )
    return code, True


def _is_lessor_address(email: str) -> bool:
    """An address in the lessor's own domain (its customer service's) is staff's, account or not: refused
    by the domain so the refusal says nothing about which staff addresses exist."""
    lessor_domain = settings.CUSTOMER_SERVICE_EMAIL.rpartition("@")[2].lower()
    return bool(lessor_domain) and email.rpartition("@")[2] == lessor_domain


@transaction.atomic
def invite_member(
    *,
    actor: User,
    client: Client,
    email: str,
    first_name: str,
    last_name: str,
    access: Access,
    request: HttpRequest | None = None,
) -> Invitation:
    """Add a colleague; a new person gets an account, the activation e-mail (link valid 7 days) and a
    one-time activation code that the inviting administrator hands over (returned, shown once). Someone
    with an account already is invited: the e-mail asks them to log in and accept (no code)."""
    from backend.clients.tasks import send_invitation_email

    _lock(client)
    contracts = _checked_contracts(client, access)
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if _is_lessor_address(email) or (user is not None and not user.is_client_user):
        raise PortalValidationError(fields={"email": [_("This address cannot be invited.")]})
    if user is not None and ClientMembership.objects.filter(user=user, client=client).exists():
        raise PortalValidationError(fields={"email": [_("This person is already a user of your company.")]})
    typed = {"email": email, "first_name": first_name.strip(), "last_name": last_name.strip()}
    if user is None:
        user = User.objects.create_user(
            email, first_name=typed["first_name"], last_name=typed["last_name"], role=User.Role.CLIENT
        )
        membership = ClientMembership(user=user, client=client, is_default=True)
    else:
        membership = ClientMembership(
            user=user, client=client, status=ClientMembership.Status.INVITED, invitation=typed
        )
    _apply(membership, access, contracts)
    _audit(MemberAudit.INVITED, actor=actor, membership=membership, request=request, **_summary(membership))
    if membership.status == ClientMembership.Status.INVITED:
        # No new activation code: an account not activated yet keeps the one its first company handed over.
        inviter = str(actor)
        transaction.on_commit(lambda: send_invitation_email.delay(user.pk, client.pk, inviter))
        return Invitation(membership=membership)
    code, _sent = _start_activation(actor=actor, client=client, user=user, request=request)
    return Invitation(membership=membership, activation_code=code)


def _typed_name(membership: ClientMembership) -> str:
    """The invited person as the company's history names them when they answer: what the administrator
    typed (never the account's own name, which the company may not learn)."""
    person = membership.person
    return person.full_name or person.email


def _invitation_of(user: User, membership_id: int) -> ClientMembership:
    membership = (
        ClientMembership.objects.select_for_update()
        .select_related("client")
        .filter(user=user, pk=membership_id, status=ClientMembership.Status.INVITED)
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


@transaction.atomic
def accept_invitation(
    *, user: User, membership_id: int, request: HttpRequest | None = None
) -> ClientMembership:
    """The invited person joins the company: the membership gives its access from now on."""
    membership = _invitation_of(user, membership_id)
    typed_name = _typed_name(membership)  # read before the typed data is emptied
    membership.status = ClientMembership.Status.ACTIVE
    membership.invitation = {}
    membership.save(update_fields=["status", "invitation"])
    _audit(
        MemberAudit.ACCEPTED,
        actor=user,
        membership=membership,
        request=request,
        actor_name=typed_name,
        **_summary(membership),
    )
    return membership


@transaction.atomic
def decline_invitation(*, user: User, membership_id: int, request: HttpRequest | None = None) -> None:
    """The invited person says no: the membership goes, the company's history keeps the answer."""
    membership = _invitation_of(user, membership_id)
    _audit(
        MemberAudit.DECLINED,
        actor=user,
        membership=membership,
        request=request,
        actor_name=_typed_name(membership),
    )
    membership.delete()


@transaction.atomic
def reissue_activation(
    *, actor: User, client: Client, membership_id: int, request: HttpRequest | None = None
) -> str:
    """A new activation link and code for a member who has not activated yet (the old code is void)."""
    _lock(client)
    membership = get_member(client=client, membership_id=membership_id)
    _refuse_invited(membership)  # before anything about the account: the company may not learn it yet
    if membership.user.has_usable_password():
        raise PortalValidationError(_("This user has activated the account already."))
    if membership.status != ClientMembership.Status.ACTIVE:
        raise PortalValidationError(_("Resume the user first."))
    code, _sent = _start_activation(actor=actor, client=client, user=membership.user, request=request)
    _audit(MemberAudit.ACTIVATION_REISSUED, actor=actor, membership=membership, request=request)
    return code


@transaction.atomic
def change_member(
    *,
    actor: User,
    client: Client,
    membership_id: int,
    change: AccessChange,
    request: HttpRequest | None = None,
) -> ClientMembership:
    memberships = _lock(client)
    membership = get_member(client=client, membership_id=membership_id)
    access = change.applied_to(_current_access(membership))
    contracts = _checked_contracts(client, access)
    if membership.is_admin and not access.is_admin:
        _keeps_an_admin(memberships, without=membership)
    before = _summary(membership)
    _apply(membership, access, contracts)
    after = _summary(membership)
    if after != before:
        _audit(
            MemberAudit.CHANGED, actor=actor, membership=membership, request=request, before=before, **after
        )
    return membership


@transaction.atomic
def set_member_status(
    *, actor: User, client: Client, membership_id: int, suspended: bool, request: HttpRequest | None = None
) -> ClientMembership:
    """Suspend (no page, API or WebSocket for this company from the next request on) or resume."""
    memberships = _lock(client)
    membership = get_member(client=client, membership_id=membership_id)
    _refuse_invited(membership)
    status = ClientMembership.Status.SUSPENDED if suspended else ClientMembership.Status.ACTIVE
    if membership.status == status:
        return membership
    if suspended:
        if membership.user_id == actor.pk:
            raise PortalValidationError(_("You cannot suspend yourself."))
        _keeps_an_admin(memberships, without=membership)
    membership.status = status
    membership.save(update_fields=["status"])
    action = MemberAudit.SUSPENDED if suspended else MemberAudit.RESUMED
    _audit(action, actor=actor, membership=membership, request=request)
    return membership


@transaction.atomic
def remove_member(
    *, actor: User, client: Client, membership_id: int, request: HttpRequest | None = None
) -> None:
    """Delete the membership (the account and the audit rows stay)."""
    memberships = _lock(client)
    membership = get_member(client=client, membership_id=membership_id)
    if membership.user_id == actor.pk:
        raise PortalValidationError(_("You cannot remove yourself."))
    _keeps_an_admin(memberships, without=membership)
    _audit(MemberAudit.REMOVED, actor=actor, membership=membership, request=request, **_summary(membership))
    membership.delete()
