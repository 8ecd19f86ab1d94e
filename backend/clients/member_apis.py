"""The client administrator's API of the company's users (the "Użytkownicy" page does the same)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients import members, selectors
from backend.clients.access_rules import Area
from backend.clients.member_inputs import MemberAccessInput, MemberInviteInput
from backend.clients.models import ClientMembership
from backend.clients.permissions import HasClientArea
from backend.core.models import AuditLog
from backend.core.permissions import IsClientAccount, IsClientUser


class MemberContractSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class MemberSerializer(serializers.ModelSerializer):
    """A member as the company's administrators see them: an invited person who has an account already
    shows only what the inviter typed until they accept (ClientMembership.person)."""

    email = serializers.EmailField(source="person.email")
    first_name = serializers.CharField(source="person.first_name")
    last_name = serializers.CharField(source="person.last_name")
    last_login = serializers.DateTimeField(source="person.last_login", allow_null=True)
    activated = serializers.BooleanField(source="person.activated")
    contracts = serializers.SerializerMethodField()

    class Meta:
        model = ClientMembership
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "is_admin",
            "status",
            "all_contracts",
            "contracts",
            "grants",
            "last_login",
            "activated",
        ]
        read_only_fields = fields

    @extend_schema_field(MemberContractSerializer(many=True))
    def get_contracts(self, membership: ClientMembership) -> list[dict]:
        return [{"id": c.pk, "number": c.number} for c in membership.contracts.all()]


class InvitationSerializer(MemberSerializer):
    """The new member plus the one-time activation code: shown to the inviting administrator only now."""

    activation_code = serializers.SerializerMethodField(
        help_text="Hand it over by another channel than e-mail; empty when the person has a password already."
    )

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "activation_code"]
        read_only_fields = fields

    def get_activation_code(self, membership: ClientMembership) -> str:
        return self.context.get("activation_code", "")


class InvitationToMeSerializer(serializers.ModelSerializer):
    """An invitation the logged-in user has not answered: the company and the access it offers."""

    client_id = serializers.IntegerField(source="client.pk")
    client_name = serializers.CharField(source="client.name")

    class Meta:
        model = ClientMembership
        fields = ["id", "client_id", "client_name", "role", "is_admin", "all_contracts", "created_at"]
        read_only_fields = fields


class ActivationCodeSerializer(serializers.Serializer):
    activation_code = serializers.CharField()


class MemberHistorySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    class Meta:
        model = AuditLog
        fields = ["id", "action", "created_at", "actor", "detail"]
        read_only_fields = fields

    def get_actor(self, row: AuditLog) -> str:
        return selectors.member_history_actor(row)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_detail(self, row: AuditLog) -> dict:
        return selectors.member_history_detail(row)


class _AdminApi:
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.USERS


class MemberListApi(_AdminApi, generics.ListAPIView):
    """The company's users (client administrators only); POST invites a colleague."""

    serializer_class = MemberSerializer
    throttle_scopes = {"POST": "invites"}  # each sends an e-mail (backend/core/throttling.py)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ClientMembership.objects.none()
        return selectors.list_members(client=self.request.active_client)

    @extend_schema(
        request=MemberInviteInput, responses={201: InvitationSerializer}, operation_id="client_users_invite"
    )
    def post(self, request):
        serializer = MemberInviteInput(data=request.data)
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
        context = {"activation_code": invitation.activation_code}
        return Response(InvitationSerializer(invitation.membership, context=context).data, status=201)


class MemberDetailApi(_AdminApi, APIView):
    @extend_schema(
        request=MemberAccessInput,
        responses=MemberSerializer,
        operation_id="client_users_change",
        description="Change some of the user's access: fields left out keep their current values.",
    )
    def patch(self, request, membership_id: int):
        # Another company's membership is not found, whatever the body says.
        members.get_member(client=request.active_client, membership_id=membership_id)
        serializer = MemberAccessInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        membership = members.change_member(
            actor=request.user,
            client=request.active_client,
            membership_id=membership_id,
            change=serializer.change(),
            request=request,
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(
        request=None,
        responses={204: None},
        operation_id="client_users_remove",
        description=(
            "Remove the user from the company (204; audited). Yourself or the last active administrator: 400"
            " `invalid`. Client administrators only."
        ),
    )
    def delete(self, request, membership_id: int):
        members.remove_member(
            actor=request.user, client=request.active_client, membership_id=membership_id, request=request
        )
        return Response(status=204)


class _MemberStatusApi(_AdminApi, APIView):
    suspended = True

    def _set(self, request, membership_id: int) -> Response:
        membership = members.set_member_status(
            actor=request.user,
            client=request.active_client,
            membership_id=membership_id,
            suspended=self.suspended,
            request=request,
        )
        return Response(MemberSerializer(membership).data)


class MemberSuspendApi(_MemberStatusApi):
    """Suspend: the user can no longer act for this company (pages, API, live updates)."""

    suspended = True

    @extend_schema(request=None, responses=MemberSerializer, operation_id="client_users_suspend")
    def post(self, request, membership_id: int):
        return self._set(request, membership_id)


class MemberResumeApi(_MemberStatusApi):
    suspended = False

    @extend_schema(
        request=None,
        responses=MemberSerializer,
        operation_id="client_users_resume",
        description="Resume a suspended user: their access applies again (audited). Client administrators only.",
    )
    def post(self, request, membership_id: int):
        return self._set(request, membership_id)


class MemberActivationApi(_AdminApi, APIView):
    """A new activation link (e-mail) and one-time code (this answer only) for a member not activated yet."""

    throttle_scopes = {"POST": "invites"}

    @extend_schema(
        request=None, responses=ActivationCodeSerializer, operation_id="client_users_new_activation"
    )
    def post(self, request, membership_id: int):
        code = members.reissue_activation(
            actor=request.user, client=request.active_client, membership_id=membership_id, request=request
        )
        return Response({"activation_code": code})


class MemberHistoryApi(_AdminApi, generics.ListAPIView):
    """Who changed which user of the company, and how (the audit log)."""

    serializer_class = MemberHistorySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditLog.objects.none()
        return selectors.list_member_history(client=self.request.active_client)


class _InvitedUserApi:
    # Any logged-in client user: an invitation may come before the user acts for any company.
    permission_classes = [IsClientAccount]


class InvitationListApi(_InvitedUserApi, generics.ListAPIView):
    """The invitations to other companies waiting for the logged-in user's answer."""

    serializer_class = InvitationToMeSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ClientMembership.objects.none()
        return selectors.pending_invitations(user=self.request.user)


class InvitationAcceptApi(_InvitedUserApi, APIView):
    """Join the company: the membership's access applies from now on (switch to it with companies/switch/)."""

    @extend_schema(request=None, responses=InvitationToMeSerializer, operation_id="client_invitations_accept")
    def post(self, request, membership_id: int):
        membership = members.accept_invitation(
            user=request.user, membership_id=membership_id, request=request
        )
        return Response(InvitationToMeSerializer(membership).data)


class InvitationDeclineApi(_InvitedUserApi, APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        operation_id="client_invitations_decline",
        description="Decline the invitation to the company (204; audited): the membership is not created.",
    )
    def post(self, request, membership_id: int):
        members.decline_invitation(user=request.user, membership_id=membership_id, request=request)
        return Response(status=204)
