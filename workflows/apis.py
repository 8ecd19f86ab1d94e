"""Analyst API: validate BPMN, deploy it as a new version, see which instances run on which version (comparing
versions and the migration dry run: compare_apis.py)."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.exceptions import PortalValidationError
from backend.core.filters import id_field
from backend.core.pagination import PortalPagination
from backend.core.permissions import IsAnalyst, IsBackOffice
from workflows import rollback, selectors, services, simulation, simulation_labels, versioning
from workflows.forms import load_form
from workflows.models import ProcessInstance, ProcessVersion


class TestPathOutputSerializer(serializers.Serializer):
    path = serializers.ChoiceField(choices=simulation.PATHS)
    label = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=["passed", "failed", "skipped"])
    element_id = serializers.CharField(allow_blank=True, help_text="Where the path stopped or ended.")
    reason = serializers.SerializerMethodField(help_text="Why it failed or was skipped, in your language.")
    steps = serializers.ListField(child=serializers.CharField(), help_text="Element ids run, in order.")

    def get_label(self, path: dict) -> str:
        return simulation_labels.path_label(path)

    def get_reason(self, path: dict) -> str:
        return simulation_labels.path_reason(path)


class TestRunOutputSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    ran_at = serializers.DateTimeField()
    paths = TestPathOutputSerializer(many=True)


class ProcessVersionOutputSerializer(serializers.ModelSerializer):
    # Empty for the versions deployed at set-up (no analyst): a plain string, "" is not an e-mail address.
    deployed_by_email = serializers.CharField(source="deployed_by.email", default="", read_only=True)
    running_instances = serializers.IntegerField(read_only=True, help_text="Requests running on it now.")
    all_instances = serializers.IntegerField(read_only=True, help_text="Requests ever started on it.")
    is_current = serializers.SerializerMethodField(help_text="New requests start on this version.")
    test_run = serializers.SerializerMethodField(help_text="The last test run; null before the first one.")

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
            "is_current",
            "test_run",
        ]

    def get_is_current(self, version: ProcessVersion) -> bool:
        current = self.context.get("current_ids")
        if current is None:
            current = self.context["current_ids"] = versioning.current_versions()
        return current.get(version.process_key) == version.pk

    @extend_schema_field(TestRunOutputSerializer(allow_null=True))
    def get_test_run(self, version: ProcessVersion) -> dict | None:
        return TestRunOutputSerializer(version.test_run).data if version.test_run else None


class ProcessVersionDetailOutputSerializer(ProcessVersionOutputSerializer):
    class Meta(ProcessVersionOutputSerializer.Meta):
        fields = [*ProcessVersionOutputSerializer.Meta.fields, "bpmn_xml", "forms", "dmn"]


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


def _too_large() -> str:
    # DRF formats the message with str.format: no braces in it.
    return _("The diagram is too large: it may hold at most %(limit)s MB.") % {
        "limit": services.max_bpmn_megabytes()
    }


class BpmnInputSerializer(serializers.Serializer):
    bpmn_xml = serializers.CharField(
        max_length=services.MAX_BPMN_CHARS,
        trim_whitespace=False,
        error_messages={"max_length": lazy(_too_large, str)()},
    )
    process_key = serializers.CharField(
        required=False,
        max_length=64,
        help_text="The flow the diagram must belong to (the editor of one flow sends its own); a diagram "
        "of another process is refused, keyed by its process id.",
    )
    dmn = serializers.DictField(
        child=serializers.CharField(max_length=500_000, trim_whitespace=False),
        required=False,
        help_text="DMN decision tables the business-rule tasks call, keyed by decision id; a called table "
        "not given here is taken from the shipped bpmn/dmn/<decision id>.dmn.",
    )


class DeployInputSerializer(BpmnInputSerializer):
    base_version_id = id_field(
        required=False,
        help_text="The version that was current when the edit began (the editor sends it). When another "
        "version has become current since, the deploy is refused with 409 version_changed naming it, who "
        "made it current and when, so that its changes are not silently dropped. Without it the deploy is "
        "not checked against versions deployed in between.",
    )


class BpmnValidationOutputSerializer(serializers.Serializer):
    valid = serializers.BooleanField(
        help_text="A deploy of the same diagram would pass: the deploy rules and the test run were run."
    )
    process_key = serializers.CharField(allow_blank=True)
    message = serializers.CharField(allow_blank=True, help_text="Why it is not valid, in your language.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ProcessVersionListCreateApi(APIView):
    permission_classes = [IsBackOffice]

    def get_permissions(self):
        return [IsAnalyst()] if self.request.method == "POST" else [IsBackOffice()]

    @extend_schema(
        parameters=[OpenApiParameter("process_key", str)],
        responses=ProcessVersionOutputSerializer(many=True),
        operation_id="workflow_versions_list",
        description=(
            "The deployed versions of every process (or of `process_key`), with their request counts and which"
            " is current; a plain array. Staff, analysts and administrators."
        ),
    )
    def get(self, request):
        versions = selectors.list_process_versions(process_key=request.query_params.get("process_key"))
        return Response(ProcessVersionOutputSerializer(versions, many=True).data)

    @extend_schema(
        request=DeployInputSerializer,
        responses={201: ProcessVersionOutputSerializer, 200: ProcessVersionOutputSerializer},
        operation_id="workflow_versions_deploy",
        description=(
            "Deploy a BPMN diagram (with its DMN tables) as the process's new current version, after the checks"
            " and the test run pass (else 400 `invalid`, `fields` keyed by element id): 201. The current"
            " version's own content: 200 with it. Another version's content: 409 `old_version_content` (roll"
            " back instead); another version became current since `base_version_id`: 409 `version_changed`."
            " Analysts and administrators."
        ),
    )
    def post(self, request):
        serializer = DeployInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        existing_ids = set(selectors.list_process_versions().values_list("id", flat=True))
        # A failed test run refuses the deploy (400, fields keyed by the element each path stopped at);
        # a passed one makes the version current and its per-path result is in `test_run`. The current
        # version's content answers 200 with it; another version's is 409 old_version_content (a rollback).
        version = services.deploy_bpmn_version(
            xml=serializer.validated_data["bpmn_xml"],
            by=request.user,
            request=request,
            dmn=serializer.validated_data.get("dmn"),
            process_key=serializer.validated_data.get("process_key"),
            base_version_id=serializer.validated_data.get("base_version_id"),
        )
        return Response(
            ProcessVersionOutputSerializer(_with_counts(version)).data,
            status=200 if version.pk in existing_ids else 201,
        )


def _with_counts(version: ProcessVersion) -> ProcessVersion:
    """The version with its requests counted (running_instances, all_instances), as the list has them."""
    return selectors.list_process_versions(process_key=version.process_key).get(pk=version.pk)


class ProcessVersionValidateApi(APIView):
    permission_classes = [IsAnalyst]

    @extend_schema(
        request=BpmnInputSerializer,
        responses=BpmnValidationOutputSerializer,
        operation_id="workflow_validate",
        description=(
            "Run a deploy's checks and test run on a diagram without storing anything: `valid`, else the"
            " `message` and `errors` keyed by element id (still 200). Analysts and administrators."
        ),
    )
    def post(self, request):
        serializer = BpmnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The checks of a deploy, test run included (nothing is stored): valid means Deploy passes.
        try:
            checked = services.check_deployable(
                serializer.validated_data["bpmn_xml"],
                serializer.validated_data.get("dmn"),
                process_key=serializer.validated_data.get("process_key"),
                validating=True,
            )
        except PortalValidationError as exc:
            return Response({"valid": False, "process_key": "", "message": exc.message, "errors": exc.fields})
        return Response(
            {"valid": True, "process_key": checked.process.process_key, "message": "", "errors": {}}
        )


class DeployedContentOutputSerializer(serializers.Serializer):
    version = ProcessVersionOutputSerializer(
        allow_null=True,
        help_text="The version already holding this content (a deploy of it would store nothing), or null.",
    )


class DeployedContentApi(APIView):
    """Whether a diagram is already deployed, by the deploy's own rule (services.deployed_version_of): the
    editor asks before its deploy dialog, which then says that nothing changed since that version."""

    permission_classes = [IsAnalyst]

    @extend_schema(
        request=BpmnInputSerializer,
        responses=DeployedContentOutputSerializer,
        operation_id="workflow_deployed_content",
        description=(
            "The version whose content (diagram, forms, decision tables; serialization aside) equals this"
            " diagram's, or null; no checks beyond the parse, no test run, nothing stored. Analysts and"
            " administrators."
        ),
    )
    def post(self, request):
        serializer = BpmnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.deployed_version_of(
            serializer.validated_data["bpmn_xml"],
            serializer.validated_data.get("dmn"),
            process_key=serializer.validated_data.get("process_key"),
        )
        data = ProcessVersionOutputSerializer(_with_counts(version)).data if version is not None else None
        return Response({"version": data})


class ProcessVersionDetailApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        responses=ProcessVersionDetailOutputSerializer,
        operation_id="workflow_versions_detail",
        description="One process version with its BPMN and DMN content. Staff, analysts and administrators.",
    )
    def get(self, request, version_id: int):
        version = selectors.get_process_version(version_id=version_id)
        return Response(ProcessVersionDetailOutputSerializer(_with_counts(version)).data)


class ProcessVersionInstancesApi(APIView):
    permission_classes = [IsBackOffice]
    # Paginated by hand (APIView); the attribute also documents the envelope in the schema.
    pagination_class = PortalPagination

    @extend_schema(
        responses=ProcessInstanceOutputSerializer(many=True),
        operation_id="workflow_versions_instances",
        description="The process instances (requests) on this version, a page at a time. Staff, analysts and administrators.",
    )
    def get(self, request, version_id: int):
        version = selectors.get_process_version(version_id=version_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.list_instances_of_version(version=version), request, view=self
        )
        return paginator.get_paginated_response(ProcessInstanceOutputSerializer(page, many=True).data)


class ProcessVersionTestRunApi(APIView):
    """Run the version's test run (every path of its contract, rolled back) without deploying it."""

    permission_classes = [IsAnalyst]

    @extend_schema(request=None, responses=TestRunOutputSerializer, operation_id="workflow_versions_test_run")
    def post(self, request, version_id: int):
        version = selectors.get_process_version(version_id=version_id)
        run = versioning.test_version(version)
        return Response(TestRunOutputSerializer(run.to_dict()).data)


class BpmnTestRunApi(APIView):
    """Run the test run of a diagram that is not deployed (the editor's "Test"): the checks of a deploy
    first (400 with fields keyed by element id), then every path of the contract; nothing is stored."""

    permission_classes = [IsAnalyst]

    @extend_schema(
        request=BpmnInputSerializer, responses=TestRunOutputSerializer, operation_id="workflow_test_run"
    )
    def post(self, request):
        serializer = BpmnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        process = services.parse_for_deploy(
            serializer.validated_data["bpmn_xml"],
            serializer.validated_data.get("dmn"),
            process_key=serializer.validated_data.get("process_key"),
        )
        forms = {key: load_form(key) for key in process.form_keys}
        return Response(TestRunOutputSerializer(versioning.run_test(process, forms).to_dict()).data)


class RollbackInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ProcessVersionRollbackApi(APIView):
    """Make this version current again (new requests start on it); audited with the reason."""

    permission_classes = [IsAnalyst]

    @extend_schema(
        request=RollbackInputSerializer,
        responses=ProcessVersionOutputSerializer,
        operation_id="workflow_versions_rollback",
    )
    def post(self, request, version_id: int):
        serializer = RollbackInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = selectors.get_process_version(version_id=version_id)
        rollback.rollback(
            version=version, by=request.user, reason=serializer.validated_data["reason"], request=request
        )
        return Response(ProcessVersionOutputSerializer(_with_counts(version)).data)
