from django.urls import path

from workflows import apis

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
]
