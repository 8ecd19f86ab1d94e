from django.urls import path

from workflows import apis, compare_apis, heatmap_apis

urlpatterns = [
    path("workflows/versions/", apis.ProcessVersionListCreateApi.as_view(), name="workflow-versions"),
    path("workflows/validate/", apis.ProcessVersionValidateApi.as_view(), name="workflow-validate"),
    path(
        "workflows/versions/deployed-content/",
        apis.DeployedContentApi.as_view(),
        name="workflow-deployed-content",
    ),
    path(
        "workflows/versions/<id:version_id>/",
        apis.ProcessVersionDetailApi.as_view(),
        name="workflow-version",
    ),
    path(
        "workflows/versions/<id:version_id>/instances/",
        apis.ProcessVersionInstancesApi.as_view(),
        name="workflow-version-instances",
    ),
    path("workflows/test-run/", apis.BpmnTestRunApi.as_view(), name="workflow-test-run"),
    path(
        "workflows/versions/<id:version_id>/test-run/",
        apis.ProcessVersionTestRunApi.as_view(),
        name="workflow-version-test-run",
    ),
    path(
        "workflows/versions/<id:version_id>/rollback/",
        apis.ProcessVersionRollbackApi.as_view(),
        name="workflow-version-rollback",
    ),
    path(
        "workflows/versions/<id:version_id>/diff/",
        compare_apis.ProcessVersionDiffApi.as_view(),
        name="workflow-version-diff",
    ),
    path(
        "workflows/instances/migrate/dry-run/",
        compare_apis.ProcessInstanceMigrateDryRunApi.as_view(),
        name="workflow-instances-migrate-dry-run",
    ),
]
urlpatterns += heatmap_apis.urlpatterns  # the modeler's panel choices
# Moving an instance, the heatmap and the repair console act on requests: backend/requests_app/process_urls.py.
