"""Analyst API: move a batch of running instances (the dry run's selection) to another version at once.

`POST /api/workflows/instances/migrate/` takes what the dry run takes; it answers 200 with one result per
instance (moved, or why not), so a partial failure names each instance that stayed.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import IsAnalyst
from backend.requests_app.batch_moves import move_instances
from workflows import selectors
from workflows.compare_apis import DryRunInputSerializer


class MoveResultOutputSerializer(serializers.Serializer):
    instance_id = serializers.IntegerField()
    request_number = serializers.CharField(allow_blank=True)
    from_version = serializers.IntegerField(allow_null=True)
    to_version = serializers.IntegerField()
    moved = serializers.BooleanField()
    code = serializers.CharField(allow_blank=True, help_text="Why it did not move, as a code.")
    message = serializers.CharField(allow_blank=True, help_text="Why it did not move.")
    element_id = serializers.CharField(allow_blank=True, help_text="The element that blocked the move.")


class BatchMoveOutputSerializer(serializers.Serializer):
    version_id = serializers.IntegerField()
    moved = serializers.IntegerField()
    not_moved = serializers.IntegerField()
    results = MoveResultOutputSerializer(many=True)


class ProcessInstanceBatchMigrateApi(APIView):
    """Move the picked running instances to the version, each in its own transaction (audited, with
    its request's history row, keeping its clocks); one result per instance."""

    permission_classes = [IsAnalyst]

    @extend_schema(
        request=DryRunInputSerializer,
        responses=BatchMoveOutputSerializer,
        operation_id="workflow_instances_migrate_batch",
    )
    def post(self, request):
        serializer = DryRunInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = selectors.get_process_version(version_id=data["version_id"])
        results = move_instances(
            to_version=version,
            instance_ids=data.get("instance_ids"),
            from_version_id=data.get("from_version_id"),
            stage=data.get("stage", ""),
            by=request.user,
            request=request,
        )
        moved = sum(1 for result in results if result.moved)
        body = {
            "version_id": version.pk,
            "moved": moved,
            "not_moved": len(results) - moved,
            "results": [result.to_dict() for result in results],
        }
        return Response(BatchMoveOutputSerializer(body).data)


urlpatterns = [
    path(
        "workflows/instances/migrate/",
        ProcessInstanceBatchMigrateApi.as_view(),
        name="workflow-instances-migrate-batch",
    ),
]
