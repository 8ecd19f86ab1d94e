"""Endpoints of the early termination request: "Złóż wniosek" on a quote, the client's answer to a
counter-offer, and the staff's counter-offer. The generic request endpoints serve the rest."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.contracts.buyout_apis import BuyoutQuoteOutputSerializer
from backend.contracts.selectors import get_quote_for_client
from backend.core.exceptions import NotFound
from backend.core.idempotency import IDEMPOTENCY_HEADER, idempotency_key
from backend.core.permissions import IsBackOffice, IsClientUser
from backend.requests_app import buyout_services
from backend.requests_app.apis.claimed import claimed_field
from backend.requests_app.apis.client import refuse_unless_waiting_for_client
from backend.requests_app.buyout_effects import quote_of, request_for_quote
from backend.requests_app.inputs import CounterOfferInputSerializer
from backend.requests_app.models import PortalRequest
from backend.requests_app.services import request_fingerprint
from backend.requests_app.validation import ContactSerializer


class BuyoutRequestInputSerializer(serializers.Serializer):
    contact = ContactSerializer()
    # Passed on as sent: the submit checks them against the kind's form schema (each `true`; a BooleanField
    # here would read "yes" or 1 as true before that check).
    declarations = serializers.DictField(
        child=serializers.JSONField(),
        allow_empty=True,
        help_text="The kind's declaration codes (catalogue), each `true`.",
    )


class CounterAnswerInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class BuyoutStepOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    stage = serializers.CharField()
    quote = BuyoutQuoteOutputSerializer()


class StaffBuyoutStepOutputSerializer(BuyoutStepOutputSerializer):
    claimed = claimed_field()


def _state(portal_request: PortalRequest, quote) -> dict:
    quote.refresh_from_db()
    return {
        "id": portal_request.pk,
        "number": portal_request.number,
        "kind": portal_request.kind,
        "status": portal_request.status,
        "stage": portal_request.stage,
        "quote": quote,
    }


def _answer(portal_request: PortalRequest, quote, *, status: int = 200) -> Response:
    return Response(BuyoutStepOutputSerializer(_state(portal_request, quote)).data, status=status)


class BuyoutQuoteRequestApi(APIView):
    """ "Złóż wniosek": turn the quote into an early termination request (Idempotency-Key honoured)."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS
    throttle_scopes = {"POST": "submissions"}  # backend/core/throttling.py

    @extend_schema(
        request=BuyoutRequestInputSerializer,
        responses={201: BuyoutStepOutputSerializer, 200: BuyoutStepOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        operation_id="contracts_buyout_quotes_request",
    )
    def post(self, request, contract_id: int, quote_id: int):
        quote = get_quote_for_client(client=request.active_client, contract_id=contract_id, quote_id=quote_id)
        serializer = BuyoutRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = idempotency_key(request)
        portal_request, created = buyout_services.submit_buyout_request(
            user=request.user,
            client=request.active_client,
            contract_id=contract_id,
            quote_id=quote.pk,
            contact=dict(serializer.validated_data["contact"]),
            declarations=serializer.validated_data["declarations"],
            idempotency_key=key,
            fingerprint=request_fingerprint({"quote_id": quote.pk, **request.data}) if key else "",
        )
        return _answer(portal_request, quote, status=201 if created else 200)


class BuyoutCounterAnswerApi(APIView):
    """The client accepts or declines the staff's counter-offer on the quote."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS

    @extend_schema(
        request=CounterAnswerInputSerializer,
        responses=BuyoutStepOutputSerializer,
        operation_id="contracts_buyout_quotes_counter_answer",
        description=(
            "Accept (`accept: true`) or decline staff's counter-offer while its request waits for the client."
            " Answers the request's state with the quote. A request that no longer waits for the client"
            " (answered, decided or withdrawn meanwhile): 409 `task_not_ready`, whatever the body; else 400"
            " `invalid` for the fields, 400 `buyout_quote_refused` for a counter-offer past its date."
        ),
    )
    def post(self, request, contract_id: int, quote_id: int):
        quote = get_quote_for_client(client=request.active_client, contract_id=contract_id, quote_id=quote_id)
        serializer = CounterAnswerInputSerializer(data=request.data)
        if not serializer.is_valid():
            holder = request_for_quote(quote)
            if holder is None:
                raise NotFound()
            refuse_unless_waiting_for_client(holder)
            serializer.is_valid(raise_exception=True)
        answered = buyout_services.answer_counter_offer(
            user=request.user, client=request.active_client, quote_id=quote.pk, **serializer.validated_data
        )
        return _answer(answered, quote)


class StaffBuyoutCounterApi(APIView):
    """Staff counter the quote of an early termination request with another total and a reason."""

    permission_classes = [IsBackOffice]

    @extend_schema(
        request=CounterOfferInputSerializer,
        responses=StaffBuyoutStepOutputSerializer,
        operation_id="staff_requests_buyout_counter",
    )
    def post(self, request, request_id: int):
        serializer = CounterOfferInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        countered = buyout_services.counter_offer(
            staff=request.user, request_id=request_id, **serializer.validated_data
        )
        body = {**_state(countered, quote_of(countered, lock=False)), "claimed": countered.claimed_in_step}
        return Response(StaffBuyoutStepOutputSerializer(body).data)
