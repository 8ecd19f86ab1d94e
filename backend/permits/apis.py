"""POST /api/staff/requests/{id}/revoke-permit/: staff revoke the permit issued for a request."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import IsBackOffice
from backend.permits import services
from backend.permits.models import VehiclePermit
from backend.permits.views import permit_status


class RevokePermitInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=services.REASON_MAX_LENGTH,
        trim_whitespace=True,
        help_text=f"At least {services.REASON_MIN_LENGTH} characters: the client reads it.",
    )


class PermitOutput(serializers.Serializer):
    request_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=VehiclePermit.Status.choices)
    state = serializers.CharField(
        help_text="valid | revoked | expired | not_yet_valid, as the public page says."
    )
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField()
    verify_url = serializers.CharField()


def permit_payload(permit: VehiclePermit) -> dict:
    return {
        "request_id": permit.request_id,
        "status": permit.status,
        "state": permit_status(permit),
        "revoked_at": permit.revoked_at,
        "revocation_reason": permit.revocation_reason,
        "verify_url": reverse("permit-verify", args=[permit.code]),
    }


class StaffRevokePermitApi(APIView):
    """Revoke the permit issued for the request, with the reason (the client is told; audited)."""

    permission_classes = [IsBackOffice]

    @extend_schema(
        request=RevokePermitInput, responses=PermitOutput, operation_id="staff_requests_revoke_permit"
    )
    def post(self, request, request_id: int):
        body = RevokePermitInput(data=request.data)
        body.is_valid(raise_exception=True)
        permit = services.revoke_permit(
            staff=request.user,
            request_id=request_id,
            reason=body.validated_data["reason"],
            http_request=request,
        )
        return Response(PermitOutput(permit_payload(permit)).data)
