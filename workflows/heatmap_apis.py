"""Analyst API for the modeler: the choices of the properties panel (the heatmap of a version reads the
requests' history: backend/requests_app/process_apis.py)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import IsAnalyst
from workflows import service_tasks
from workflows.forms import form_keys  # the schemas in bpmn/forms (deploy copies them from there)


class ModelerOptionsOutputSerializer(serializers.Serializer):
    form_keys = serializers.ListField(child=serializers.CharField())
    service_operations = serializers.ListField(child=serializers.CharField())


class ModelerOptionsApi(APIView):
    """What the properties panel offers: the known form keys and the registered service task functions."""

    permission_classes = [IsAnalyst]

    @extend_schema(responses=ModelerOptionsOutputSerializer, operation_id="workflow_modeler_options")
    def get(self, request):
        data = {"form_keys": form_keys(), "service_operations": sorted(service_tasks.registered_names())}
        return Response(ModelerOptionsOutputSerializer(data).data)


urlpatterns = [
    path("workflows/modeler-options/", ModelerOptionsApi.as_view(), name="workflow-modeler-options"),
]
