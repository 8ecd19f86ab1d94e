"""The admin's screens of clients and their users.

Memberships are changed only by the membership services (backend/clients/members.py), which lock the
company, keep one active administrator and write the audit log: here they are read-only. The lessor adds
a company's user (the first administrator of a new client) through the same invitation as the company's
administrators; changes, suspensions and removals are the company administrator's ("Użytkownicy"), and
customer service helps with activation at "Aktywacja klientów".
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backend.accounts.admin import UserAdmin
from backend.accounts.models import User
from backend.clients import members
from backend.clients.models import Client, ClientMembership
from backend.core.exceptions import PortalValidationError

# The service's field names as the add form calls them.
_FORM_FIELDS = {"email": "email", "is_admin": "is_admin", "contract_ids": "contracts", "grants": "grants"}


def staff_page_link(email: str) -> str:
    """Customer service's page of a client user ("Aktywacja klientów"), searched for the address."""
    url = f"{reverse('staff-client-users')}?{urlencode({'q': email})}"
    return format_html('<a href="{}">{}</a>', url, _("Client activation"))


class MembershipAddForm(forms.ModelForm):
    """A company's new user, added by the invitation service (members.invite_member): a new address gets
    an account and the activation link, an existing client user an invitation to accept."""

    email = forms.EmailField(label=_("e-mail"), max_length=254)
    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    grants = forms.MultipleChoiceField(
        label=_("extra rights"),
        choices=ClientMembership.Grant.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ClientMembership
        fields = ["client", "role", "is_admin", "all_contracts", "contracts", "grants"]

    request: HttpRequest | None = None  # set by the admin's get_form: the service's actor
    invitation: members.Invitation | None = None

    def _post_clean(self) -> None:
        # The service's own checks (address, contracts of the company) answer next to the fields: it runs
        # as the last step of validation, inside the admin's transaction, and writes its audit row.
        super()._post_clean()
        if self.errors:
            return
        data = self.cleaned_data
        try:
            self.invitation = members.invite_member(
                actor=self.request.user,
                client=data["client"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                access=members.Access(
                    role=data["role"],
                    is_admin=data["is_admin"],
                    all_contracts=data["all_contracts"],
                    contract_ids=[contract.pk for contract in data["contracts"]],
                    grants=list(data["grants"]),
                ),
                request=self.request,
            )
        except PortalValidationError as error:
            for name, errors in error.fields.items():
                for message in errors:
                    self.add_error(_FORM_FIELDS.get(name), message)
            if not error.fields:
                self.add_error(None, error.message)


class ReadOnlyMembershipInline(admin.TabularInline):
    """A user's companies or a company's users, read-only (see the module's note)."""

    model = ClientMembership
    extra = 0
    show_change_link = True
    fields: list[str] = []

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("help with access"))
    def staff_page(self, membership: ClientMembership) -> str:
        return staff_page_link(membership.user.email)


class ClientMembershipInline(ReadOnlyMembershipInline):
    fields = ["user", "role", "is_admin", "status", "all_contracts", "staff_page"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "registered_city", "email", "phone"]
    list_filter = ["registered_city"]
    search_fields = ["name_key__folded", "nip", "regon", "krs", "email"]
    inlines = [ClientMembershipInline]
    readonly_fields = ["add_user"]

    class Media:
        css = {"all": ["core/admin_lists.css"]}  # cells wrap: the list fits 1280 px with its filter

    fieldsets = [
        (None, {"fields": ["name", "nip", "regon", "krs"]}),
        (
            _("Registered office"),
            {"fields": ["registered_street", "registered_postal_code", "registered_city"]},
        ),
        (
            _("Correspondence address"),
            {"fields": ["correspondence_street", "correspondence_postal_code", "correspondence_city"]},
        ),
        (_("Contact"), {"fields": ["email", "phone", "bank_account"]}),
        (_("Users"), {"fields": ["add_user"]}),
    ]

    @admin.display(description=_("new user"))
    def add_user(self, client: Client) -> str:
        if client.pk is None:
            return _("Save the client first.")
        url = f"{reverse('admin:clients_clientmembership_add')}?{urlencode({'client': client.pk})}"
        return format_html(
            '<a href="{}">{}</a><div class="help">{}</div>',
            url,
            _("Add a user of this client"),
            _(
                "Users' roles, suspension and removal are changed by the client's administrator "
                "(“Users” in the portal), which keeps one active administrator and records each change."
            ),
        )


@admin.register(ClientMembership)
class ClientMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "client", "role", "is_admin", "status", "is_default", "created_at"]
    list_filter = ["role", "is_admin", "status", "is_default"]
    search_fields = ["user__email", "client__name_key__folded", "client__nip"]
    autocomplete_fields = ["client", "contracts"]
    list_select_related = ["user", "client"]
    add_form = MembershipAddForm
    fields = [
        "user",
        "client",
        "role",
        "is_admin",
        "status",
        "all_contracts",
        "contracts",
        "grants",
        "invitation",
        "is_default",
        "created_at",
        "how_to_change",
    ]
    add_fields = ["client", "email", "first_name", "last_name", "role", "is_admin", "all_contracts"]
    add_fields += ["contracts", "grants"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # only through the membership services (module's note); the page shows it read-only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_fields(self, request, obj=None) -> list[str]:
        return self.add_fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [] if obj is None else self.fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["fields"] = [name for name in self.add_fields if name in MembershipAddForm.Meta.fields]
        form = super().get_form(request, obj, change=change, form=MembershipAddForm, **kwargs)
        form.request = request
        return form

    def save_model(self, request, obj: ClientMembership, form, change: bool) -> None:
        # Saved by the service during validation; the admin's own record of the addition points at it.
        membership = form.invitation.membership
        obj.pk, obj.user_id, obj.status = membership.pk, membership.user_id, membership.status
        obj._activation_code = form.invitation.activation_code

    def save_related(self, request, form, formsets, change: bool) -> None:
        pass  # the service set the contracts (none for an owner or "all contracts")

    def response_add(self, request, obj: ClientMembership, post_url_continue=None):
        code = getattr(obj, "_activation_code", "")
        if not code:
            return super().response_add(request, obj, post_url_continue)
        # Shown this once, never in a message (a cookie may carry it), as the users' action does.
        context = {**self.admin_site.each_context(request), "issued": [(obj.user, code)]}
        return TemplateResponse(request, "admin/accounts/activation_codes.html", context)

    @admin.display(description=_("how to change"))
    def how_to_change(self, membership: ClientMembership) -> str:
        return format_html(
            "{} {}",
            _(
                "The client's administrator changes, suspends and removes the company's users (“Users” in "
                "the portal); the last active administrator stays. Activation and second factor:"
            ),
            staff_page_link(membership.user.email),
        )


class UserMembershipInline(ReadOnlyMembershipInline):
    fields = ["client", "role", "is_admin", "status", "is_default", "staff_page"]


# The user's page in the admin lists the clients the user acts for: the accounts app's UserAdmin, with
# this app's inline (accounts sits below clients and does not import it).
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, UserMembershipInline]
