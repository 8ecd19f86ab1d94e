"""Moje konto: the user's own account page with their e-mail notification preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backend.clients.access_rules import can
from backend.clients.models import ClientMembership
from notifications.models import NotificationPreference
from notifications.recipients import PREFERENCE_AREAS
from notifications.selectors import get_notification_preferences
from notifications.services import set_notification_preferences

CLIENT_FIELDS = (
    "email_stage_changed",
    "email_waiting_for_client",
    "email_decided",
    "email_message_answered",
    "email_reminder",
)
STAFF_FIELDS = ("email_task_assigned", "email_new_message", "daily_digest")


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = CLIENT_FIELDS + STAFF_FIELDS

    def __init__(self, *args, back_office: bool, areas: set[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in CLIENT_FIELDS if back_office else STAFF_FIELDS:
            del self.fields[name]
        if not back_office and areas is not None:
            for name, area in PREFERENCE_AREAS.items():
                if area not in areas:
                    del self.fields[name]


def _client_areas(user) -> set[str]:
    """The areas of PREFERENCE_AREAS any of the user's companies lets them use."""
    memberships = list(ClientMembership.objects.filter(user=user, status=ClientMembership.Status.ACTIVE))
    areas = set(PREFERENCE_AREAS.values())
    return {area for area in areas if any(can(membership, area) for membership in memberships)}


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    """Show the account and save which e-mails the user wants (in-portal notices always arrive)."""
    back_office = request.user.is_back_office
    preference = get_notification_preferences(user=request.user)
    areas = _client_areas(request.user) if request.user.is_client_user and not back_office else None
    form = NotificationPreferencesForm(
        request.POST or None, instance=preference, back_office=back_office, areas=areas
    )
    if request.method == "POST" and form.is_valid():
        set_notification_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect("account-page")
    return render(request, "portal_ui/account.html", {"form": form, "back_office": back_office})
