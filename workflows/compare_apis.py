"""Analyst API comparing versions: what changed between two versions of a process, and what moving running
instances to a version would do (the dry run; the move itself acts on requests: requests_app/process_apis.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.exceptions import PortalValidationError
from backend.core.filters import id_field, parse_id
from backend.core.permissions import IsAnalyst
from workflows import selectors, versioning


class DiffElementOutputSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    name = serializers.CharField(allow_blank=True)


class DiffChangeOutputSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    changes = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        help_text='Field name → {"from": ..., "to": ...}: name, condition, timer, form, lane, ...',
    )


class VersionDiffOutputSerializer(serializers.Serializer):
    from_version = serializers.IntegerField(help_text="The version compared against (e.g. the current one).")
    to_version = serializers.IntegerField()
    added = DiffElementOutputSerializer(many=True)
    removed = DiffElementOutputSerializer(many=True)
    changed = DiffChangeOutputSerializer(many=True)
    forms_changed = serializers.ListField(child=serializers.CharField())
    dmn_changed = serializers.ListField(child=serializers.CharField())
    same = serializers.BooleanField()


class ProcessVersionDiffApi(APIView):
    """The version's elements added, removed and changed against the current version (or another one)."""

    permission_classes = [IsAnalyst]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against", str, description='"current" (default) or the id of another version of the process.'
            )
        ],
        responses=VersionDiffOutputSerializer,
        operation_id="workflow_versions_diff",
    )
    def get(self, request, version_id: int):
        version = selectors.get_process_version(version_id=version_id)
        against = request.query_params.get("against", "current") or "current"
        if against == "current":
            current = versioning.current_version_id(version.process_key)
            base = selectors.get_process_version(version_id=current[0]) if current else version
        else:
            against_id = parse_id(against)
            if against_id is None:
                message = _('Give "current" or the id of a version.')
                raise PortalValidationError(message, fields={"against": [message]})
            base = selectors.get_process_version(version_id=against_id)
            if base.process_key != version.process_key:
                message = _("Choose a version of the same process.")
                raise PortalValidationError(message, fields={"against": [message]})
        return Response(VersionDiffOutputSerializer(versioning.diff_versions(base, version)).data)


class DryRunInputSerializer(serializers.Serializer):
    version_id = id_field(help_text="The version the instances would move to.")
    instance_ids = serializers.ListField(
        child=id_field(),
        required=False,
        max_length=200,
        help_text="Pick instances by id...",
    )
    from_version_id = id_field(required=False, help_text="...or filter: running on this version")
    stage = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="...at this stage"
    )


class TimerDueOutputSerializer(serializers.Serializer):
    element_id = serializers.CharField()
    attached_to = serializers.CharField(allow_blank=True)
    due = serializers.DateTimeField(allow_null=True)


class DryRunRowOutputSerializer(serializers.Serializer):
    instance_id = serializers.IntegerField()
    request_number = serializers.CharField(allow_blank=True)
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    stage = serializers.CharField(allow_blank=True)
    can_move = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True, help_text="Why it cannot move.")
    element_id = serializers.CharField(allow_blank=True, help_text="The element that blocks the move.")
    tasks_added = serializers.ListField(child=serializers.CharField())
    tasks_removed = serializers.ListField(child=serializers.CharField())
    data_missing = serializers.ListField(child=serializers.CharField())
    timers_before = TimerDueOutputSerializer(many=True)
    timers_after = TimerDueOutputSerializer(many=True)
    timers_added = TimerDueOutputSerializer(
        many=True,
        help_text="Timers the move starts (the new version's on the waiting task), with their due time.",
    )


class ProcessInstanceMigrateDryRunApi(APIView):
    """For each picked running instance: could it move to the version, and what would change. Writes nothing."""

    permission_classes = [IsAnalyst]

    @extend_schema(
        request=DryRunInputSerializer,
        responses=DryRunRowOutputSerializer(many=True),
        operation_id="workflow_instances_migrate_dry_run",
    )
    def post(self, request):
        serializer = DryRunInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = selectors.get_process_version(version_id=data["version_id"])
        instances = versioning.instances_to_move(
            process_key=version.process_key,
            instance_ids=data.get("instance_ids"),
            from_version_id=data.get("from_version_id"),
            stage=data.get("stage", ""),
        )
        rows = versioning.dry_run(to_version=version, instances=instances)
        return Response(DryRunRowOutputSerializer(rows, many=True).data)
