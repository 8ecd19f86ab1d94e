"""Użytkownicy: the client administrator's page of the company's users (the API does the same).

Thin adapters: form → the API's input serializer → the same service (backend/clients/members.py) →
redirect, or the page again with the errors next to the fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.exceptions import ValidationError

from backend.clients import members
from backend.clients.access_rules import Area
from backend.clients.member_inputs import MemberAccessInput, MemberInviteInput
from backend.clients.models import ClientMembership
from backend.clients.selectors import (
    has_other_active_admin,
    list_member_history,
    list_members,
    member_history_actor,
)
from backend.contracts.selectors import list_contract_choices
from backend.core.exceptions import NotFound, PortalError, PortalValidationError
from portal_ui.access import client_area_required
from portal_ui.acting_for import acting_for_checked
from portal_ui.client_lists import PAGE_SIZE, page_of
from portal_ui.error_summary import error_summary, form_errors
from portal_ui.page_limits import counted

HISTORY_ROWS = 50
ACCESS_INPUTS = ("role", "is_admin", "all_contracts", "contract_ids", "grants")
INVITE_INPUTS = ("email", "first_name", "last_name", *ACCESS_INPUTS)


def _labels() -> dict[str, str]:
    return {
        "email": _("E-mail"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "role": _("Role"),
        "is_admin": _("Client administrator"),
        "all_contracts": _("All contracts"),
        "contract_ids": _("Contracts"),
        "grants": _("Extra rights"),
    }


def _posted(request: HttpRequest, names: tuple[str, ...]) -> dict:
    data: dict = {name: request.POST.get(name, "").strip() for name in names if name not in ACCESS_INPUTS}
    data["role"] = request.POST.get("role", "")
    data["is_admin"] = request.POST.get("is_admin") == "on"
    data["all_contracts"] = request.POST.get("all_contracts") == "on"
    data["contract_ids"] = [value for value in request.POST.getlist("contract_ids") if value.isdigit()]
    data["grants"] = request.POST.getlist("grants")
    return data


def _form_context(request: HttpRequest, values: dict, errors: dict) -> dict:
    return {
        "values": values,
        "errors": errors,
        "error_summary": error_summary(errors, _labels()),
        "contracts": list_contract_choices(client=request.active_client),
        "roles": ClientMembership.Role.choices,
        "grant_choices": ClientMembership.Grant.choices,
        "selected_contracts": {str(value) for value in values.get("contract_ids", [])},
    }


def _history_rows(request: HttpRequest) -> list[dict]:
    actions = {
        members.MemberAudit.INVITED: pgettext("member history", "invited"),
        members.MemberAudit.CHANGED: pgettext("member history", "changed role or contracts"),
        members.MemberAudit.SUSPENDED: pgettext("member history", "suspended"),
        members.MemberAudit.RESUMED: pgettext("member history", "resumed"),
        members.MemberAudit.REMOVED: pgettext("member history", "removed"),
        members.MemberAudit.ACTIVATION_REISSUED: pgettext("member history", "new activation code issued"),
        members.MemberAudit.ACCEPTED: pgettext("member history", "accepted the invitation"),
        members.MemberAudit.DECLINED: pgettext("member history", "declined the invitation"),
    }
    roles = dict(ClientMembership.Role.choices)
    rows = []
    for row in list_member_history(client=request.active_client)[:HISTORY_ROWS]:
        detail = row.detail or {}
        changes = _changes(detail, roles) if row.action == members.MemberAudit.CHANGED else []
        rows.append(
            {
                "at": row.created_at,
                "actor": member_history_actor(row),
                "member": detail.get("member_email", ""),
                "action": "; ".join(changes) or actions.get(row.action, row.action),
                "role": "" if changes else roles.get(detail.get("role"), ""),
            }
        )
    return rows


def _changes(detail: dict, roles: dict) -> list[str]:
    """What a change of access changed, from the audit row's before and after (rows written before the
    audit kept `before` say only that something changed)."""
    before = detail.get("before")
    if not isinstance(before, dict):
        return []
    changes = []
    if before.get("role") != detail.get("role"):
        changes.append(
            _("role: %(before)s → %(after)s")
            % {"before": roles.get(before.get("role"), "—"), "after": roles.get(detail.get("role"), "—")}
        )
    if before.get("is_admin") != detail.get("is_admin"):
        changes.append(
            _("administrator right granted") if detail.get("is_admin") else _("administrator right removed")
        )
    contracts = ("all_contracts", "contract_ids")
    if any(before.get(key) != detail.get(key) for key in contracts):
        changes.append(_("contracts changed"))
    if sorted(before.get("grants") or []) != sorted(detail.get("grants") or []):
        changes.append(_("extra rights changed"))
    return changes


@require_http_methods(["GET", "POST"])
@acting_for_checked()
@client_area_required(Area.USERS)
@counted("invites")  # a POST invites someone
def users_page(request: HttpRequest) -> HttpResponse:
    """The company's users, the invitation form and the history of changes."""
    values: dict = {"role": ClientMembership.Role.FLEET_MANAGER, "contract_ids": []}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = _posted(request, INVITE_INPUTS)
        serializer = MemberInviteInput(data=values)
        try:
            serializer.is_valid(raise_exception=True)
            invitation = members.invite_member(
                actor=request.user,
                client=request.active_client,
                email=serializer.validated_data["email"],
                first_name=serializer.validated_data["first_name"],
                last_name=serializer.validated_data["last_name"],
                access=serializer.access(),
                request=request,
            )
        except (PortalError, ValidationError) as error:
            errors = form_errors(error, inputs=INVITE_INPUTS)
        if not errors:
            if invitation.activation_code:
                # Rendered, not redirected: the code is shown this once and kept nowhere in clear.
                return _activation_code_page(request, invitation.membership, invitation.activation_code)
            messages.success(request, _("The invitation has been sent."))
            # At the new member's row, on its list page (forms.js focuses its link, says the message).
            return redirect(_users_url(request, invitation.membership.pk))
        status = 400
    page = page_of(request, list_members(client=request.active_client))
    context = {
        **_form_context(request, values, errors),
        "page": page,
        "history": _history_rows(request),
        "role_labels": dict(ClientMembership.Role.choices),
    }
    return render(request, "portal_ui/client/users.html", context, status=status)


def _activation_code_page(request: HttpRequest, membership: ClientMembership, code: str) -> HttpResponse:
    context = {"member": membership, "activation_code": code}
    return render(request, "portal_ui/client/user_activation_code.html", context)


def _member_or_404(request: HttpRequest, membership_id: int) -> ClientMembership:
    try:
        return members.get_member(client=request.active_client, membership_id=membership_id)
    except NotFound as exc:
        raise Http404 from exc


def _own_demotion_message() -> str:
    return _(
        "You are removing your own administrator right: after saving you can no longer manage the company's "
        "users (another administrator can give it back). Confirm below, or tick the box again."
    )


@require_http_methods(["GET", "POST"])
@acting_for_checked()
@client_area_required(Area.USERS)
def user_page(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Change one user's role, administrator flag, contracts and extra rights."""
    membership = _member_or_404(request, membership_id)
    values = {
        "role": membership.role,
        "is_admin": membership.is_admin,
        "all_contracts": membership.all_contracts,
        "contract_ids": [str(pk) for pk in membership.contracts.values_list("pk", flat=True)],
        "grants": list(membership.grants or []),
    }
    errors: dict[str, list[str]] = {}
    status = 200
    confirm_own_demotion = False
    if request.method == "POST":
        values = _posted(request, ACCESS_INPUTS)
        serializer = MemberAccessInput(data=values)
        # An administrator unticking their own flag loses this page on saving: asked once, at the field
        # (the last one is refused by the service instead: nothing to confirm).
        confirm_own_demotion = (
            membership.user_id == request.user.pk
            and membership.is_admin
            and not values["is_admin"]
            and has_other_active_admin(client=request.active_client, membership=membership)
        )
        try:
            if confirm_own_demotion and request.POST.get("confirm_own_demotion") != "on":
                raise PortalValidationError(fields={"is_admin": [_own_demotion_message()]})
            serializer.is_valid(raise_exception=True)
            members.change_member(
                actor=request.user,
                client=request.active_client,
                membership_id=membership.pk,
                change=serializer.change(),
                request=request,
            )
        except (PortalError, ValidationError) as error:
            errors = form_errors(error, inputs=ACCESS_INPUTS)
        if not errors and confirm_own_demotion:
            messages.success(
                request, _("The changes have been saved. You no longer manage the company's users.")
            )
            return redirect("home")
        if not errors:
            messages.success(request, _("The changes have been saved."))
            return redirect(_users_url(request, membership.pk))  # back at the row, on its list page
        status = 400
    context = {
        **_form_context(request, values, errors),
        "member": membership,
        "confirm_own_demotion": confirm_own_demotion,
    }
    return render(request, "portal_ui/client/user_edit.html", context, status=status)


def _users_url(request: HttpRequest, membership_pk: int, *, at_row: bool = True) -> str:
    """The users page on the list page that holds this member (the list is in name order, so the page a row
    was on), at the member's row (#member-<id>: forms.js focuses its link and says the message there).
    `at_row=False`: the same list page at its top (a removed member has no row left to go to)."""
    rows = list(list_members(client=request.active_client).values_list("pk", flat=True))
    position = rows.index(membership_pk) if membership_pk in rows else 0
    number = position // PAGE_SIZE + 1
    url = reverse("client-users-page") + (f"?page={number}" if number > 1 else "")
    return url + (f"#member-{membership_pk}" if at_row else "")


def _status_action(request: HttpRequest, membership_id: int, action, *, at_row: bool = False) -> HttpResponse:
    """Do `action`; back on the users page at the list page the member was on, `at_row` at their row, else
    at the page's top (a removed member has no row)."""
    membership = _member_or_404(request, membership_id)
    # Taken before the action: a removed member is no longer in the list to find the page by.
    back = _users_url(request, membership.pk, at_row=at_row)
    try:
        action(membership)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect(back.split("#")[0])
    return redirect(back)


def _users_page(kwargs: dict) -> str:
    return reverse("client-users-page")


@require_POST
@acting_for_checked(back=_users_page)
@client_area_required(Area.USERS)
def user_suspend(request: HttpRequest, membership_id: int) -> HttpResponse:
    def act(membership: ClientMembership) -> None:
        members.set_member_status(
            actor=request.user,
            client=request.active_client,
            membership_id=membership.pk,
            suspended=True,
            request=request,
        )
        messages.success(request, _("The user has been suspended."))

    return _status_action(request, membership_id, act, at_row=True)


@require_POST
@acting_for_checked(back=_users_page)
@client_area_required(Area.USERS)
def user_resume(request: HttpRequest, membership_id: int) -> HttpResponse:
    def act(membership: ClientMembership) -> None:
        members.set_member_status(
            actor=request.user,
            client=request.active_client,
            membership_id=membership.pk,
            suspended=False,
            request=request,
        )
        messages.success(request, _("The user can act for the company again."))

    return _status_action(request, membership_id, act, at_row=True)


@require_POST
@acting_for_checked(back=_users_page)
@client_area_required(Area.USERS)
def user_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    def act(membership: ClientMembership) -> None:
        members.remove_member(
            actor=request.user, client=request.active_client, membership_id=membership.pk, request=request
        )
        messages.success(request, _("The user has been removed from the company."))

    return _status_action(request, membership_id, act)


@require_POST
@acting_for_checked(back=_users_page)
@client_area_required(Area.USERS)
@counted("invites")
def user_new_activation(request: HttpRequest, membership_id: int) -> HttpResponse:
    """A new activation link and one-time code for a member who has not activated yet."""
    membership = _member_or_404(request, membership_id)
    try:
        code = members.reissue_activation(
            actor=request.user, client=request.active_client, membership_id=membership.pk, request=request
        )
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("client-users-page")
    return _activation_code_page(request, membership, code)
