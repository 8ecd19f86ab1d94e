"""Analyst API: validate BPMN, deploy it as a new version, see which instances run on which version."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.exceptions import PortalValidationError
from backend.core.pagination import PortalPagination
from backend.core.permissions import IsAnalyst, IsBackOffice
from workflows import selectors, services
from workflows.models import ProcessInstance, ProcessVersion


class ProcessVersionOutputSerializer(serializers.ModelSerializer):
    # Empty for the versions deployed at set-up (no analyst): a plain string, "" is not an e-mail address.
    deployed_by_email = serializers.CharField(source="deployed_by.email", default="", read_only=True)
    running_instances = serializers.IntegerField(read_only=True, default=0)
    all_instances = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ProcessVersion
        fields = [
            "id",
            "process_key",
            "number",
            "checksum",
            "deployed_by_email",
            "deployed_at",
            "running_instances",
            "all_instances",
        ]


class ProcessVersionDetailOutputSerializer(ProcessVersionOutputSerializer):
    class Meta(ProcessVersionOutputSerializer.Meta):
        fields = [*ProcessVersionOutputSerializer.Meta.fields, "bpmn_xml", "forms"]


class ProcessInstanceOutputSerializer(serializers.ModelSerializer):
    request_id = serializers.IntegerField(source="portal_request.id", default=None, read_only=True)
    request_number = serializers.CharField(source="portal_request.number", default="", read_only=True)

    class Meta:
        model = ProcessInstance
        fields = [
            "id",
            "status",
            "stage",
            "waiting_for",
            "next_timer_due",
            "request_id",
            "request_number",
            "updated_at",
        ]


class BpmnInputSerializer(serializers.Serializer):
    bpmn_xml = serializers.CharField(max_length=2_000_000, trim_whitespace=False)


class BpmnValidationOutputSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    process_key = serializers.CharField(allow_blank=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ProcessVersionListCreateApi(APIView):
    permission_classes = [IsBackOffice]

    def get_permissions(self):
        return [IsAnalyst()] if self.request.method == "POST" else [IsBackOffice()]

    @extend_schema(
        parameters=[OpenApiParameter("process_key", str)],
        responses=ProcessVersionOutputSerializer(many=True),
        operation_id="workflow_versions_list",
    )
    def get(self, request):
        versions = selectors.list_process_versions(process_key=request.query_params.get("process_key"))
        return Response(ProcessVersionOutputSerializer(versions, many=True).data)

    @extend_schema(
        request=BpmnInputSerializer,
        responses={201: ProcessVersionOutputSerializer, 200: ProcessVersionOutputSerializer},
        operation_id="workflow_versions_deploy",
    )
    def post(self, request):
        serializer = BpmnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        existing_ids = set(selectors.list_process_versions().values_list("id", flat=True))
        version = services.deploy_bpmn_version(xml=serializer.validated_data["bpmn_xml"], by=request.user)
        return Response(
            ProcessVersionOutputSerializer(version).data, status=200 if version.pk in existing_ids else 201
        )


class ProcessVersionValidateApi(APIView):
    permission_classes = [IsAnalyst]

    @extend_schema(
        request=BpmnInputSerializer,
        responses=BpmnValidationOutputSerializer,
        operation_id="workflow_validate",
    )
    def post(self, request):
        serializer = BpmnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            process = services.parse_for_deploy(serializer.validated_data["bpmn_xml"])
        except PortalValidationError as exc:
            return Response({"valid": False, "process_key": "", "errors": exc.fields})
        return Response({"valid": True, "process_key": process.process_key, "errors": {}})


class ProcessVersionDetailApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(responses=ProcessVersionDetailOutputSerializer, operation_id="workflow_versions_detail")
    def get(self, request, version_id: int):
        return Response(
            ProcessVersionDetailOutputSerializer(selectors.get_process_version(version_id=version_id)).data
        )


class ProcessVersionInstancesApi(APIView):
    permission_classes = [IsBackOffice]
    # Paginated by hand (APIView); the attribute also documents the envelope in the schema.
    pagination_class = PortalPagination

    @extend_schema(
        responses=ProcessInstanceOutputSerializer(many=True), operation_id="workflow_versions_instances"
    )
    def get(self, request, version_id: int):
        version = selectors.get_process_version(version_id=version_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.list_instances_of_version(version=version), request, view=self
        )
        return paginator.get_paginated_response(ProcessInstanceOutputSerializer(page, many=True).data)


class InstanceMigrateInputSerializer(serializers.Serializer):
    version_id = serializers.IntegerField()


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
        instance = services.migrate_instance(instance_id=instance.pk, to_version=version, by=request.user)
        return Response(
            ProcessInstanceOutputSerializer(selectors.get_process_instance(instance_id=instance.pk)).data
        )
