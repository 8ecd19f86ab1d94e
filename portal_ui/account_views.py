"""Moje konto: the user's own account page with their e-mail notification preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backend.clients.access_rules import Area, can
from backend.clients.models import ClientMembership
from notifications.models import NotificationPreference
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
# The area a client's e-mail is about (notifications/recipients.py EMAIL_KINDS): a user whose roles reach
# no requests (an accountant without the extra right) never gets their e-mails, so is not asked about them.
CLIENT_FIELD_AREAS = {
    "email_stage_changed": Area.REQUESTS,
    "email_waiting_for_client": Area.REQUESTS,
    "email_decided": Area.REQUESTS,
    "email_message_answered": Area.MESSAGES,
    "email_reminder": Area.REQUESTS,
}


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = CLIENT_FIELDS + STAFF_FIELDS

    def __init__(self, *args, back_office: bool, areas: set[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in CLIENT_FIELDS if back_office else STAFF_FIELDS:
            del self.fields[name]
        if not back_office and areas is not None:
            for name, area in CLIENT_FIELD_AREAS.items():
                if area not in areas:
                    del self.fields[name]


def _client_areas(user) -> set[str]:
    """The areas of CLIENT_FIELD_AREAS any of the user's companies lets them use."""
    memberships = list(ClientMembership.objects.filter(user=user, status=ClientMembership.Status.ACTIVE))
    areas = set(CLIENT_FIELD_AREAS.values())
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
