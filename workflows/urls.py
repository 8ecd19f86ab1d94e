from django.urls import path

from workflows import apis, heatmap_apis, repair_apis

urlpatterns = [
    path("workflows/versions/", apis.ProcessVersionListCreateApi.as_view(), name="workflow-versions"),
    path("workflows/validate/", apis.ProcessVersionValidateApi.as_view(), name="workflow-validate"),
    path(
        "workflows/versions/<int:version_id>/",
        apis.ProcessVersionDetailApi.as_view(),
        name="workflow-version",
    ),
    path(
        "workflows/versions/<int:version_id>/instances/",
        apis.ProcessVersionInstancesApi.as_view(),
        name="workflow-version-instances",
    ),
    path(
        "workflows/instances/<int:instance_id>/migrate/",
        apis.ProcessInstanceMigrateApi.as_view(),
        name="workflow-instance-migrate",
    ),
    path("workflows/test-run/", apis.BpmnTestRunApi.as_view(), name="workflow-test-run"),
    path(
        "workflows/versions/<int:version_id>/test-run/",
        apis.ProcessVersionTestRunApi.as_view(),
        name="workflow-version-test-run",
    ),
    path(
        "workflows/versions/<int:version_id>/rollback/",
        apis.ProcessVersionRollbackApi.as_view(),
        name="workflow-version-rollback",
    ),
    path(
        "workflows/versions/<int:version_id>/diff/",
        apis.ProcessVersionDiffApi.as_view(),
        name="workflow-version-diff",
    ),
    path(
        "workflows/instances/migrate/dry-run/",
        apis.ProcessInstanceMigrateDryRunApi.as_view(),
        name="workflow-instances-migrate-dry-run",
    ),
]
urlpatterns += heatmap_apis.urlpatterns  # the modeler's heatmap and panel choices
urlpatterns += repair_apis.urlpatterns  # the repair console (issue #11, section 5)
