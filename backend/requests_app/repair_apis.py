"""The repair console's API (analysts and admins): open incidents, overdue instances, counts, and the
repair actions (backend/requests_app/repair_steps.py), each audited and written to the request's history.

It lives with the requests because its actions step a request's process; the paths stay under /api/ops/."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.exceptions import NotFound
from backend.core.filters import parse_id
from backend.core.permissions import IsAnalyst
from backend.requests_app import repair_steps
from workflows import selectors
from workflows.apis import ProcessInstanceOutputSerializer
from workflows.models import Incident


class RepairInstanceOutputSerializer(ProcessInstanceOutputSerializer):
    process_key = serializers.CharField(source="process_version.process_key", read_only=True)
    version_number = serializers.IntegerField(source="process_version.number", read_only=True)

    class Meta(ProcessInstanceOutputSerializer.Meta):
        fields = [
            *ProcessInstanceOutputSerializer.Meta.fields,
            "process_key",
            "version_number",
            "current_task_name",
            "suspended",
            "incident_state",
        ]


class OverdueInstanceOutputSerializer(RepairInstanceOutputSerializer):
    sla_days = serializers.IntegerField(
        read_only=True,
        help_text="The SLA of the stage: working days while waiting for staff (overdue past the request's "
        "`staff_due_at`), calendar days while waiting for the client.",
    )
    waiting_days = serializers.IntegerField(read_only=True, help_text="Days since the instance's last step.")

    class Meta(RepairInstanceOutputSerializer.Meta):
        fields = [*RepairInstanceOutputSerializer.Meta.fields, "sla_days", "waiting_days"]


class IncidentOutputSerializer(serializers.ModelSerializer):
    request_id = serializers.IntegerField(source="instance.portal_request.id", default=None, read_only=True)
    request_number = serializers.CharField(
        source="instance.portal_request.number", default="", read_only=True
    )
    reason = serializers.CharField(
        read_only=True,
        help_text="What went wrong, in your language (empty: only `message`, the error's text).",
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "instance",
            "request_id",
            "request_number",
            "action",
            "element_id",
            "error_class",
            "message",
            "reason",
            "attempts",
            "status",
            "first_failed_at",
            "last_failed_at",
            "next_retry_at",
            "resolved_at",
            "resolution_note",
        ]


class CountOutputSerializer(serializers.Serializer):
    process_key = serializers.CharField(source="process_version__process_key")
    version_number = serializers.IntegerField(source="process_version__number")
    stage = serializers.CharField()
    count = serializers.IntegerField()


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RequiredNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        help_text="Why the lessor cancels: the client reads it with the stage `cancelled_by_lessor` "
        "(`decision_reason` of the request).",
    )


class EditDataInputSerializer(NoteInputSerializer):
    data = serializers.DictField(help_text="Fields of the ready task's form; validated against it.")


class MoveTokenInputSerializer(NoteInputSerializer):
    task = serializers.CharField(max_length=64, help_text="Element id of a user task the instance reached.")


def _instance(instance_id: int):
    if parse_id(instance_id) is None:  # out of the id range: not found, never a database error
        raise NotFound()
    return selectors.get_process_instance(instance_id=instance_id)


def _answer(instance_id: int) -> Response:
    instance = selectors.get_process_instance(instance_id=instance_id)
    return Response(RepairInstanceOutputSerializer(instance).data)


class OpsIncidentsApi(APIView):
    permission_classes = [IsAnalyst]

    @extend_schema(
        responses=IncidentOutputSerializer(many=True),
        operation_id="ops_incidents",
        description=(
            "Open and retrying incidents (failed steps of process instances), at most 500, as a plain array."
            " Analysts and administrators."
        ),
    )
    def get(self, request):
        return Response(IncidentOutputSerializer(repair_steps.open_incidents()[:500], many=True).data)


class OpsOverdueApi(APIView):
    permission_classes = [IsAnalyst]

    @extend_schema(
        responses=OverdueInstanceOutputSerializer(many=True),
        operation_id="ops_overdue",
        description=(
            "Running instances whose current task is past its due time, at most 500, as a plain array."
            " Analysts and administrators."
        ),
    )
    def get(self, request):
        return Response(
            OverdueInstanceOutputSerializer(repair_steps.overdue_instances()[:500], many=True).data
        )


class OpsCountsApi(APIView):
    permission_classes = [IsAnalyst]

    @extend_schema(
        responses=CountOutputSerializer(many=True),
        operation_id="ops_counts",
        description="How many process instances there are per process and status. Analysts and administrators.",
    )
    def get(self, request):
        return Response(CountOutputSerializer(repair_steps.instance_counts(), many=True).data)


# POST one repair action to an instance: check the id, validate the body, act, answer the instance.
# (A comment, not a docstring: drf-spectacular would publish a docstring as each operation's description.)
class _InstanceActionApi(APIView):
    permission_classes = [IsAnalyst]
    input_serializer: type[serializers.Serializer] | None = None

    def act(self, *, instance_id: int, data: dict, request) -> None:
        raise NotImplementedError

    def post(self, request, instance_id: int):
        instance = _instance(instance_id)
        data: dict = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        self.act(instance_id=instance.pk, data=data, request=request)
        return _answer(instance.pk)


def _action_schema(input_serializer, operation_id: str, description: str):
    return extend_schema_view(
        post=extend_schema(
            request=input_serializer,
            responses=RepairInstanceOutputSerializer,
            operation_id=operation_id,
            description=(
                f"{description} Audited; answers the instance. Not possible in the instance's state: 409"
                " `repair_refused`. Analysts and administrators."
            ),
        )
    )


@_action_schema(None, "ops_instances_retry", "Run the failed step of the instance again (no body).")
class InstanceRetryApi(_InstanceActionApi):
    def act(self, *, instance_id: int, data: dict, request) -> None:
        repair_steps.retry_instance(instance_id=instance_id, by=request.user, request=request)


@_action_schema(
    NoteInputSerializer, "ops_instances_suspend", "Suspend the instance: no step runs until it is resumed."
)
class InstanceSuspendApi(_InstanceActionApi):
    input_serializer = NoteInputSerializer

    def act(self, *, instance_id: int, data: dict, request) -> None:
        repair_steps.suspend_instance(
            instance_id=instance_id, by=request.user, request=request, note=data["note"]
        )


@_action_schema(NoteInputSerializer, "ops_instances_resume", "Resume a suspended instance.")
class InstanceResumeApi(_InstanceActionApi):
    input_serializer = NoteInputSerializer

    def act(self, *, instance_id: int, data: dict, request) -> None:
        repair_steps.resume_instance(
            instance_id=instance_id, by=request.user, request=request, note=data["note"]
        )


@_action_schema(
    EditDataInputSerializer, "ops_instances_edit_data", "Correct the data of the instance's current task."
)
class InstanceEditDataApi(_InstanceActionApi):
    input_serializer = EditDataInputSerializer

    def act(self, *, instance_id: int, data: dict, request) -> None:
        repair_steps.edit_task_data(
            instance_id=instance_id, data=data["data"], by=request.user, request=request, note=data["note"]
        )


@_action_schema(
    MoveTokenInputSerializer, "ops_instances_move_token", "Move the instance to another task of its diagram."
)
class InstanceMoveTokenApi(_InstanceActionApi):
    input_serializer = MoveTokenInputSerializer

    def act(self, *, instance_id: int, data: dict, request) -> None:
        repair_steps.move_token(
            instance_id=instance_id,
            task_spec_name=data["task"],
            by=request.user,
            request=request,
            note=data["note"],
        )


@_action_schema(
    ReasonInputSerializer, "ops_instances_cancel", "Cancel the instance and its request, with the reason."
)
class InstanceCancelApi(_InstanceActionApi):
    input_serializer = ReasonInputSerializer

    def act(self, *, instance_id: int, data: dict, request) -> None:
        repair_steps.cancel_instance(
            instance_id=instance_id, reason=data["reason"], by=request.user, request=request
        )


class IncidentResolveApi(APIView):
    permission_classes = [IsAnalyst]

    @extend_schema(
        request=RequiredNoteInputSerializer,
        responses=IncidentOutputSerializer,
        operation_id="ops_incidents_resolve",
        description="Mark the incident resolved with a note (audited); answers the incident. Analysts and administrators.",
    )
    def post(self, request, incident_id: int):
        if parse_id(incident_id) is None or not Incident.objects.filter(pk=incident_id).exists():
            raise NotFound()
        serializer = RequiredNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = repair_steps.resolve_incident(
            incident_id=incident_id, note=serializer.validated_data["note"], by=request.user, request=request
        )
        return Response(IncidentOutputSerializer(incident).data)


INSTANCE_ACTIONS = {
    "retry": InstanceRetryApi,
    "suspend": InstanceSuspendApi,
    "resume": InstanceResumeApi,
    "edit-data": InstanceEditDataApi,
    "move-token": InstanceMoveTokenApi,
    "cancel": InstanceCancelApi,
}

urlpatterns = [
    path("ops/incidents/", OpsIncidentsApi.as_view(), name="ops-incidents"),
    path("ops/overdue/", OpsOverdueApi.as_view(), name="ops-overdue"),
    path("ops/counts/", OpsCountsApi.as_view(), name="ops-counts"),
    path(
        "ops/incidents/<id:incident_id>/resolve/",
        IncidentResolveApi.as_view(),
        name="ops-incident-resolve-api",
    ),
    *[
        path(f"ops/instances/<id:instance_id>/{name}/", view.as_view(), name=f"ops-instance-{name}")
        for name, view in INSTANCE_ACTIONS.items()
    ],
]
