"""The user's own drafts for the acting client: list / save / discard (errors in the project's shape).

The form is named in the body or the query (`form_key`), not in the path: it is a name of the user's
own form, never an id of someone's object.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.active import ClientChanged, switched_away_from
from backend.clients.models import Client
from backend.core.exceptions import PortalValidationError
from backend.core.filters import id_field, parse_id
from backend.core.language import active_lang
from backend.core.money import format_datetime, format_time
from backend.core.permissions import IsClientUser
from backend.drafts import services
from backend.drafts.models import Draft


class DraftOutput(serializers.ModelSerializer):
    # Formatted by the server in the portal's time zone and the user's language (the browser's own zone
    # and format would differ from the rest of the portal).
    updated_at_display = serializers.SerializerMethodField(
        help_text="When it was saved, as the page shows it: 29.11.2026 13:32 (pl) or 2026-11-29 13:32 (en)."
    )
    updated_time_display = serializers.SerializerMethodField(help_text="The time of the save: 13:32.")

    class Meta:
        model = Draft
        fields = ["form_key", "data", "updated_at", "updated_at_display", "updated_time_display"]

    def get_updated_at_display(self, draft: Draft) -> str:
        return format_datetime(draft.updated_at, lang=active_lang())

    def get_updated_time_display(self, draft: Draft) -> str:
        return format_time(draft.updated_at)


ACTING_FOR_HELP = (
    "The id of the company the form was shown for (optional): when the session acts for another company by "
    "now (switched in another tab), the draft is neither saved nor read: 409 `client_changed`."
)


class DraftInput(serializers.Serializer):
    form_key = serializers.CharField(max_length=64, help_text=services.FORM_KEY_HELP)
    data = serializers.JSONField(help_text="The form's fields: name → text (or a list of texts).")
    acting_for = id_field(required=False, help_text=ACTING_FOR_HELP)


def _form_key_parameter(required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        "form_key", str, OpenApiParameter.QUERY, required=required, description=services.FORM_KEY_HELP
    )


_ACTING_FOR_PARAMETER = OpenApiParameter(
    "acting_for", int, OpenApiParameter.QUERY, description=ACTING_FOR_HELP
)


def _check_acting_for(request, shown_for: int | None) -> None:
    """Refuse a draft of a form shown for another company than the one the session acts for now: a save
    would file one company's text as the other's draft, a read would offer it there."""
    previous = switched_away_from(request, shown_for)
    if previous is not None:
        raise ClientChanged(_client_changed_message(previous, request.active_client))


def _client_changed_message(previous: Client, current: Client) -> str:
    return _(
        "While this page was open, the company you act for was changed (in another tab) from %(previous)s "
        "to %(current)s. The draft was not saved: what you typed stays in this form. Switch back to "
        "%(previous)s to go on with it."
    ) % {"previous": previous.name, "current": current.name}


def _query_acting_for(request) -> int | None:
    raw = request.query_params.get("acting_for")
    if raw is None:
        return None
    shown_for = parse_id(raw)
    if shown_for is None:
        message = _("A valid integer is required.")
        raise PortalValidationError(fields={"acting_for": [message]})
    return shown_for


class DraftApi(APIView):
    permission_classes = [IsClientUser]
    throttle_scopes = {"PUT": "drafts"}  # saves as the user types; reads and discards are not counted

    @extend_schema(
        parameters=[_form_key_parameter(False), _ACTING_FOR_PARAMETER],
        responses=DraftOutput(many=True),
        operation_id="drafts_list",
    )
    def get(self, request):
        """The user's drafts for the acting client, newest first (one form's with `form_key`)."""
        _check_acting_for(request, _query_acting_for(request))
        drafts = Draft.objects.filter(user=request.user, client=request.active_client).order_by("-updated_at")
        form_key = request.query_params.get("form_key")
        if form_key is not None:
            drafts = drafts.filter(form_key=services.check_form_key(form_key))
        return Response(DraftOutput(drafts, many=True).data)

    @extend_schema(
        request=DraftInput,
        responses=DraftOutput,
        operation_id="drafts_save",
        description=(
            "Create or replace the draft of one form (a form of the request catalogue, a reply or comment on"
            " a request, a new message or a reply). A user keeps at most"
            f" {services.MAX_DRAFTS_PER_USER} drafts (all companies): another new one is 409 `too_many_drafts`"
            " until one is sent or discarded (replacing a kept draft always works). Errors: 400 `invalid`"
            " (an unknown `form_key`, data over the limits), 403 `permission_denied`, 404 `not_found`, 409"
            " `client_changed`, 409 `too_many_drafts`, 429 `throttled`."
        ),
    )
    def put(self, request):
        """Create or replace the draft of one form."""
        body = DraftInput(data=request.data)
        if not body.is_valid():
            raise PortalValidationError(fields=body.errors)
        fields = dict(body.validated_data)
        _check_acting_for(request, fields.pop("acting_for", None))
        # Only a form the user may send: a draft of an area or object the action refuses is refused alike.
        services.check_form_access(
            body.validated_data["form_key"],
            client=request.active_client,
            membership=getattr(request, "active_membership", None),
        )
        draft = services.save_draft(user=request.user, client=request.active_client, **fields)
        return Response(DraftOutput(draft).data)

    @extend_schema(
        parameters=[_form_key_parameter(True), _ACTING_FOR_PARAMETER],
        responses={204: None},
        operation_id="drafts_delete",
    )
    def delete(self, request):
        """Discard the draft of one form (nothing to discard is no error)."""
        _check_acting_for(request, _query_acting_for(request))
        form_key = services.check_form_key(request.query_params.get("form_key", ""))
        services.discard_draft(user=request.user, client=request.active_client, form_key=form_key)
        return Response(status=status.HTTP_204_NO_CONTENT)
