"""Reads of process versions and instances."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from backend.core.exceptions import NotFound
from workflows.models import ProcessInstance, ProcessVersion


def list_process_versions(*, process_key: str | None = None) -> QuerySet[ProcessVersion]:
    queryset = ProcessVersion.objects.select_related("deployed_by").annotate(
        running_instances=Count("instances", filter=Q(instances__status=ProcessInstance.Status.RUNNING)),
        all_instances=Count("instances"),
    )
    if process_key:
        queryset = queryset.filter(process_key=process_key)
    return queryset.order_by("process_key", "-number")


def get_process_version(*, version_id: int) -> ProcessVersion:
    version = ProcessVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    return version


def list_instances_of_version(*, version: ProcessVersion) -> QuerySet[ProcessInstance]:
    return version.instances.select_related("portal_request").order_by("-id")


def get_process_instance(*, instance_id: int) -> ProcessInstance:
    instance = ProcessInstance.objects.select_related("process_version").filter(pk=instance_id).first()
    if instance is None:
        raise NotFound()
    return instance
