"""Staff's internal note on a request: the back office's only (backend/requests_app/internal_notes.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.views import APIView

from backend.core.permissions import IsBackOffice
from backend.requests_app import selectors
from backend.requests_app.apis.outputs import RequestEventOutputSerializer, comment_response
from backend.requests_app.inputs import RequestNoteInputSerializer
from backend.requests_app.internal_notes import add_internal_note


class StaffInternalNoteApi(APIView):
    permission_classes = [IsBackOffice]

    # A comment, not a docstring: a docstring would become the operation's description in the schema.
    @extend_schema(
        request=RequestNoteInputSerializer,
        responses={201: RequestEventOutputSerializer},
        operation_id="staff_requests_internal_note",
        examples=[
            OpenApiExample(
                "Note",
                value={"note": "Zadzwoniłam do klienta: fakturę wyśle w poniedziałek."},
                request_only=True,
            )
        ],
        description=(
            "Write an internal note for colleagues on any request, in any status; it changes no step and the"
            " client never sees it (not in the client's history, API, e-mails, notices or live pushes)."
            " Answers 201 with the note, a history row of kind `internal_note` (the staff detail lists it)."
            " 400 `invalid` at `note` when it is empty or longer than its limit; 404 `not_found` for an"
            " unknown request. Staff, analysts and administrators (others 403 `permission_denied`)."
        ),
    )
    def post(self, request, request_id: int):
        serializer = RequestNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = add_internal_note(
            staff=request.user,
            portal_request=selectors.request_ref(request_id=request_id),
            text=serializer.validated_data["note"],
        )
        return comment_response(note, attachment_ids=[])  # a note has no files
