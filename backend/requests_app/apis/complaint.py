"""A complaint's statutory clock: its output (part of the request detail) and the staff extension."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import IsBackOffice
from backend.requests_app import complaints, decisions
from backend.requests_app.apis.claimed import claimed_field
from backend.requests_app.inputs import ExtendDeadlineInput


class ComplaintClockOutput(serializers.Serializer):
    received_on = serializers.DateField()
    deadline = serializers.DateField()
    days_total = serializers.IntegerField()
    days_left = serializers.IntegerField(help_text="Negative once the deadline has passed.")
    extended = serializers.BooleanField()
    extension_reason = serializers.CharField()
    escalated = serializers.BooleanField()
    overdue = serializers.BooleanField()
    text = serializers.CharField(help_text='"Odpowiedź do 24.12.2026 (30 dni)" in the user\'s language.')
    reply_by = serializers.DateField(
        help_text="The day a client asked a question now would be told to reply by: 6 days before the deadline "
        "(the wait ends when it has ended, and staff answer with what they have). A question leaving the "
        "client fewer than 3 days from today is refused (400, at `question`)."
    )


class ExtendDeadlineOutput(ComplaintClockOutput):
    claimed = claimed_field()


class StaffExtendDeadlineApi(APIView):
    """Extend a complaint's answer deadline (≤ 60 days from receipt) with the reason the client is told."""

    permission_classes = [IsBackOffice]

    @extend_schema(
        request=ExtendDeadlineInput,
        responses=ExtendDeadlineOutput,
        operation_id="staff_requests_extend_deadline",
    )
    def post(self, request, request_id: int):
        body = ExtendDeadlineInput(data=request.data)
        body.is_valid(raise_exception=True)
        extended = decisions.extend_deadline(
            staff=request.user,
            request_id=request_id,
            new_deadline=body.validated_data["new_deadline"],
            reason=body.validated_data["extension_reason"],
        )
        clock = complaints.clock_payload(complaints.clock_of(extended))
        return Response({**clock, "claimed": extended.claimed_in_step})
