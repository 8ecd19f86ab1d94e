"""Analyst API on requests' processes that needs the requests themselves: moving an instance to another
version (its request's status and history follow) and the heatmap of a version (read from the requests'
history). The paths stay under /api/workflows/ beside the rest of the modeler's API."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.exceptions import PortalValidationError
from backend.core.filters import id_field
from backend.core.permissions import IsAnalyst
from backend.requests_app import version_moves
from backend.requests_app.heatmap import version_heatmap
from workflows import selectors
from workflows.apis import ProcessInstanceOutputSerializer


class InstanceMigrateInputSerializer(serializers.Serializer):
    version_id = id_field()


class ProcessInstanceMigrateApi(APIView):
    """Move one running instance to another version of its process (by default instances stay)."""

    permission_classes = [IsAnalyst]

    @extend_schema(
        request=InstanceMigrateInputSerializer,
        responses=ProcessInstanceOutputSerializer,
        operation_id="workflow_instances_migrate",
    )
    def post(self, request, instance_id: int):
        serializer = InstanceMigrateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = selectors.get_process_instance(instance_id=instance_id)
        version = selectors.get_process_version(version_id=serializer.validated_data["version_id"])
        if version.process_key != instance.process_version.process_key:
            message = _("Choose a version of the same process.")
            raise PortalValidationError(message, fields={"version_id": [message]})
        instance = version_moves.migrate_instance(
            instance_id=instance.pk, to_version=version, by=request.user
        )
        return Response(
            ProcessInstanceOutputSerializer(selectors.get_process_instance(instance_id=instance.pk)).data
        )


class ElementHeatOutputSerializer(serializers.Serializer):
    element_id = serializers.CharField()
    running = serializers.IntegerField()
    median_seconds = serializers.IntegerField(allow_null=True)
    finished_stays = serializers.IntegerField()


class VersionHeatmapOutputSerializer(serializers.Serializer):
    version_id = serializers.IntegerField()
    process_key = serializers.CharField()
    number = serializers.IntegerField()
    elements = ElementHeatOutputSerializer(many=True)


class VersionHeatmapApi(APIView):
    """Per BPMN element of the version: the requests there now and the median time they spent there."""

    permission_classes = [IsAnalyst]

    @extend_schema(responses=VersionHeatmapOutputSerializer, operation_id="workflow_versions_heatmap")
    def get(self, request, version_id: int):
        version = selectors.get_process_version(version_id=version_id)
        data = {
            "version_id": version.pk,
            "process_key": version.process_key,
            "number": version.number,
            "elements": version_heatmap(version=version),
        }
        return Response(VersionHeatmapOutputSerializer(data).data)


urlpatterns = [
    path(
        "workflows/instances/<id:instance_id>/migrate/",
        ProcessInstanceMigrateApi.as_view(),
        name="workflow-instance-migrate",
    ),
    path(
        "workflows/versions/<id:version_id>/heatmap/",
        VersionHeatmapApi.as_view(),
        name="workflow-version-heatmap",
    ),
]
