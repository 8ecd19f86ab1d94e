"""What a client membership may see and do: the one place that answers it.

    can(membership, area, write=False)   may the user use this area of the portal (pages, APIs, e-mails)?
    visible_contract_ids(membership)     None = every contract of the client, else the allowed ids
    restrict(queryset, client, field)    a selector's filter to the contracts the acting user may see
    membership_of(client)                the acting user's membership bound to the active client
    may_act_on(membership, area, contract_id, write=False, author_id=None)   the same for one object,
                                         outside a request

Roles: the owner may do everything; a fleet manager works with requests, messages and documents of the
contracts given (a request or thread tied to no contract is the company's: a member limited to some contracts
sees only the ones they started, not the owner's company-wide matters: object_visible); an accountant reads invoices, settlements, documents, schedules and exports (no requests
and no messages unless granted). Contracts stay plain ids here: contracts sits above clients.

The active-client middleware binds the allowed ids to `request.active_client` (bind()), so every selector
that is handed the active client filters by them without a second argument; a Client loaded anywhere else
(staff pages, workers) is not bound and is not restricted.
"""

from __future__ import annotations

import logging

from django.db.models import Q, QuerySet, prefetch_related_objects

from backend.clients.models import Client, ClientMembership
from backend.core.prepared_reads import PreparedRead


class Area:
    CONTRACTS = "contracts"  # contracts, items, policies, schedules (read)
    DOCUMENTS = "documents"
    INVOICES = "invoices"  # invoices, duplicates, settlements, KSeF XML
    EXPORTS = "exports"  # the monthly accounting ZIP, schedule files, calendar
    REQUESTS = "requests"  # requests, buyout quotes, permits
    MESSAGES = "messages"
    USERS = "users"  # the client's own user administration (client administrators)


_READ = {
    ClientMembership.Role.OWNER: {
        Area.CONTRACTS,
        Area.DOCUMENTS,
        Area.INVOICES,
        Area.EXPORTS,
        Area.REQUESTS,
        Area.MESSAGES,
    },
    ClientMembership.Role.FLEET_MANAGER: {Area.CONTRACTS, Area.DOCUMENTS, Area.REQUESTS, Area.MESSAGES},
    ClientMembership.Role.ACCOUNTANT: {Area.CONTRACTS, Area.DOCUMENTS, Area.INVOICES, Area.EXPORTS},
}
# Areas a role may change something in (submit, reply, order a duplicate, write a message).
_WRITE = {
    ClientMembership.Role.OWNER: {Area.INVOICES, Area.REQUESTS, Area.MESSAGES},
    ClientMembership.Role.FLEET_MANAGER: {Area.REQUESTS, Area.MESSAGES},
    ClientMembership.Role.ACCOUNTANT: set(),
}
_GRANTABLE = {ClientMembership.Grant.MESSAGES: Area.MESSAGES, ClientMembership.Grant.REQUESTS: Area.REQUESTS}
_BOUND = "_portal_visible_contract_ids"
logger = logging.getLogger(__name__)
_BOUND_MEMBERSHIP = "_portal_acting_membership"


def is_active(membership: ClientMembership | None) -> bool:
    return membership is not None and membership.status == ClientMembership.Status.ACTIVE


def can(membership: ClientMembership | None, area: str, *, write: bool = False) -> bool:
    """May this membership use the area (read, or write when write=True)?"""
    if not is_active(membership):
        return False
    if area == Area.USERS:
        return membership.is_admin
    granted = _granted_areas(membership)
    allowed = (_WRITE if write else _READ).get(membership.role, set()) | granted
    return area in allowed


def _granted_areas(membership: ClientMembership) -> set[str]:
    """The areas the membership's extra rights add. A stored value that is not a list of codes (written
    past the field's validator) grants nothing and is logged, so one bad row never breaks a user's pages."""
    grants = membership.grants or []
    if not isinstance(grants, list):
        logger.warning("Membership %s has extra rights that are not a list; ignored.", membership.pk)
        return set()
    return {_GRANTABLE[g] for g in grants if isinstance(g, str) and g in _GRANTABLE}


def visible_contract_ids(membership: ClientMembership | None) -> frozenset[int] | None:
    """None when every contract of the client is visible; otherwise the allowed ids (maybe empty)."""
    if not is_active(membership):
        return frozenset()
    if not _limited(membership):
        return None
    return frozenset(membership.contracts.values_list("pk", flat=True))


def object_visible(
    ids: frozenset[int] | None, *, contract_id: int | None, author_id: int | None, user_id: int | None
) -> bool:
    """May a member who sees the contracts `ids` (None: all of them) see one request or thread? One tied to
    a contract follows the contract; one tied to none is the company's: every unlimited member's, and of
    the limited ones only its author's (a fleet manager's own "other matter", never the owner's)."""
    if ids is None:
        return True
    if contract_id is None:
        return author_id is not None and author_id == user_id
    return contract_id in ids


def may_act_on(
    membership: ClientMembership | None,
    area: str,
    contract_id: int | None,
    *,
    write: bool = False,
    author_id: int | None = None,
) -> bool:
    """May this membership use one object of the area (a request, a thread, started by `author_id`)? The
    client API's rule in one call: the area (write rights when write=True) and object_visible. For checks
    outside a logged-in request (a reply link, a draft's key), so they answer as the page and the API would."""
    if not can(membership, area, write=write):
        return False
    return object_visible(
        visible_contract_ids(membership),
        contract_id=contract_id,
        author_id=author_id,
        user_id=membership.user_id,
    )


def _limited(membership: ClientMembership) -> bool:
    """Does the membership see only its own set of the client's contracts?"""
    return not (membership.role == ClientMembership.Role.OWNER or membership.all_contracts)


def bind(client: Client | None, membership: ClientMembership | None) -> None:
    """Remember on the active client which contracts its acting user may see (the middleware's work)."""
    if client is not None:
        setattr(client, _BOUND, visible_contract_ids(membership))
        setattr(client, _BOUND_MEMBERSHIP, membership)


def contract_ids_of(client: Client | None) -> frozenset[int] | None:
    return getattr(client, _BOUND, None)


def membership_of(client: Client | None) -> ClientMembership | None:
    """The acting user's membership bound to the active client (bind()); None for a client loaded elsewhere."""
    return getattr(client, _BOUND_MEMBERSHIP, None)


def restrict(
    queryset: QuerySet,
    client: Client | None,
    field: str = "contract",
    *,
    nullable: bool = False,
    author_field: str | None = None,
):
    """Keep the rows whose contract the acting user may see. nullable: rows with no contract stay (the
    company's documents); author_field: rows with no contract stay when the acting user started them
    (requests, threads: object_visible)."""
    ids = contract_ids_of(client)
    if ids is None:
        return queryset
    condition = Q(**{f"{field}__in": ids})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    elif author_field is not None:
        membership = membership_of(client)
        if membership is not None:
            condition |= Q(**{f"{field}__isnull": True, author_field: membership.user_id})
    return queryset.filter(condition)


def may_see_contract(client: Client | None, contract_id: int | None) -> bool:
    ids = contract_ids_of(client)
    return ids is None or contract_id in ids


def _active_memberships(**filters) -> list[ClientMembership]:
    memberships = list(ClientMembership.objects.filter(status=ClientMembership.Status.ACTIVE, **filters))
    _prefetch_limited_contracts(memberships)
    return memberships


def _prefetch_limited_contracts(memberships: list[ClientMembership]) -> None:
    # Only a limited membership's contracts are read (_ids): no second query when every one sees all
    # (an owner's company, the common case; the worker asks this for every event).
    limited = [membership for membership in memberships if _limited(membership)]
    if limited:
        prefetch_related_objects(limited, "contracts")


# The worker reads a company's users for every event: compiled once per connection (core/prepared_reads.py).
_ACTIVE_MEMBERS_OF_CLIENT = PreparedRead(
    lambda client_id: (
        ClientMembership.objects.filter(client_id=client_id, status=ClientMembership.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    ),
    ints=("client_id",),
)


def _ids(membership: ClientMembership) -> frozenset[int] | None:
    if not _limited(membership):
        return None
    return frozenset(contract.pk for contract in membership.contracts.all())


def user_contract_condition(user, *, area: str, client_field: str = "client_id", contract_field: str = "pk"):
    """A Q over rows of every client the user acts for, cut to the area and contracts of each membership.

    For reads that span all the user's companies at once (the calendar feed). Rows with no contract are
    left out for limited users.
    """
    condition = Q(pk__in=[])
    for membership in _active_memberships(user=user):
        if not can(membership, area):
            continue
        ids = _ids(membership)
        own = Q(**{client_field: membership.client_id})
        condition |= own if ids is None else own & Q(**{f"{contract_field}__in": ids})
    return condition


def member_users(
    *,
    client_id: int | None,
    area: str | None = None,
    contract_id: int | None = None,
    subject_author_id: int | None = None,
) -> list:
    """The users of a client who may hear about an event of the area on the contract (e-mails, push),
    read with their memberships in one query (the worker asks for every event). With `subject_author_id`
    the event is about one request or thread (started by that user): object_visible decides; without it a
    contract_id of None means an event about no contract-bound object (the area alone decides)."""
    if client_id is None:
        return []
    users = []
    memberships = _ACTIVE_MEMBERS_OF_CLIENT.all(client_id=client_id)
    _prefetch_limited_contracts(memberships)
    for membership in memberships:
        if area is not None and not can(membership, area):
            continue
        ids = _ids(membership)
        if subject_author_id is not None:
            if not object_visible(
                ids, contract_id=contract_id, author_id=subject_author_id, user_id=membership.user_id
            ):
                continue
        elif ids is not None and contract_id is not None and contract_id not in ids:
            continue
        users.append(membership.user)
    return users
