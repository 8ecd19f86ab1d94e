"""Analyst API for the modeler: the heatmap of a version, and the choices of the properties panel."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import IsAnalyst
from workflows import selectors, service_tasks
from workflows.forms import forms_dir
from workflows.heatmap import version_heatmap


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


class ModelerOptionsOutputSerializer(serializers.Serializer):
    form_keys = serializers.ListField(child=serializers.CharField())
    service_operations = serializers.ListField(child=serializers.CharField())


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


def form_keys() -> list[str]:
    """The form keys a user task may name: the schemas in bpmn/forms (deploy copies them from there)."""
    base = forms_dir()
    return sorted(str(path.relative_to(base).with_suffix("")) for path in base.rglob("*.json"))


class ModelerOptionsApi(APIView):
    """What the properties panel offers: the known form keys and the registered service task functions."""

    permission_classes = [IsAnalyst]

    @extend_schema(responses=ModelerOptionsOutputSerializer, operation_id="workflow_modeler_options")
    def get(self, request):
        data = {"form_keys": form_keys(), "service_operations": sorted(service_tasks.registered_names())}
        return Response(ModelerOptionsOutputSerializer(data).data)


urlpatterns = [
    path(
        "workflows/versions/<int:version_id>/heatmap/",
        VersionHeatmapApi.as_view(),
        name="workflow-version-heatmap",
    ),
    path("workflows/modeler-options/", ModelerOptionsApi.as_view(), name="workflow-modeler-options"),
]
