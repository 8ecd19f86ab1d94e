"""Pages of requests: the client's list, wizard and processing view, the staff tasks, the flow editor."""

from django.urls import path

from portal_ui import (
    complaint_views,
    editor_views,
    migration_views,
    ops_views,
    permit_revoke_views,
    permit_views,
    request_submit_views,
    request_views,
    staff_views,
    version_views,
)

urlpatterns = [
    path("requests/", request_views.request_list, name="request-list"),
    path("requests/new/", request_submit_views.request_new, name="request-new"),
    # The permit to go abroad has a form of its own (countries as a multiple choice); before the generic one.
    path("requests/new/vehicle_abroad_permit/", permit_views.permit_new, name="request-new-permit"),
    path("requests/new/<slug:kind>/", request_submit_views.request_new_kind, name="request-new-kind"),
    path("requests/<id:request_id>/", request_views.request_page, name="request-page"),
    path("requests/<id:request_id>/status/", request_views.request_status, name="request-page-status"),
    path("requests/<id:request_id>/reply/", request_views.request_reply, name="request-reply"),
    path("requests/<id:request_id>/comment/", request_views.request_comment, name="request-comment"),
    path("requests/<id:request_id>/cancel/", request_views.request_cancel, name="request-cancel"),
    path("staff/tasks/", staff_views.task_list, name="staff-task-list"),
    path(
        "staff/complaints/<id:request_id>/extend-deadline/",
        complaint_views.complaint_extend,
        name="staff-complaint-extend",
    ),
    path(
        "staff/permits/<id:request_id>/revoke/",
        permit_revoke_views.permit_revoke,
        name="staff-permit-revoke",
    ),
    path("staff/tasks/<id:request_id>/", staff_views.task_page, name="staff-task-page"),
    path("staff/tasks/<id:request_id>/<slug:action>/", staff_views.task_action, name="staff-task-action"),
    path("analyst/flows/", editor_views.flow_list, name="flow-list"),
    path("analyst/flows/<slug:process_key>/", editor_views.flow_editor, name="flow-editor"),
    path("analyst/flows/<slug:process_key>/versions/", version_views.flow_versions, name="flow-versions"),
    path(
        "analyst/flows/<slug:process_key>/versions/<id:version_id>/test/",
        version_views.version_test,
        name="flow-version-test",
    ),
    path(
        "analyst/flows/<slug:process_key>/versions/<id:version_id>/rollback/",
        version_views.version_rollback,
        name="flow-version-rollback",
    ),
    path("analyst/flows/<slug:process_key>/migrations/", editor_views.migration_list, name="flow-migrations"),
    path(
        "analyst/flows/<slug:process_key>/migrations/batch/",
        migration_views.migration_batch,
        name="flow-migrations-batch",
    ),
    path(
        "analyst/flows/<slug:process_key>/migrations/<id:instance_id>/",
        editor_views.migration_form,
        name="flow-migration",
    ),
    # The repair console (issue #11, section 5): analysts and admins.
    path("ops/", ops_views.ops_console, name="ops-console"),
    path("ops/instances/", ops_views.ops_instances, name="ops-instances"),
    path("ops/instances/<id:instance_id>/", ops_views.ops_instance, name="ops-instance"),
    # Before the actions' pattern: cancelling has a confirmation page of its own.
    path(
        "ops/instances/<id:instance_id>/cancel/",
        ops_views.ops_instance_cancel,
        name="ops-instance-cancel-page",
    ),
    path(
        "ops/instances/<id:instance_id>/<slug:action>/",
        ops_views.ops_instance_action,
        name="ops-instance-action",
    ),
    path(
        "ops/incidents/<id:incident_id>/resolve/",
        ops_views.ops_incident_resolve,
        name="ops-incident-resolve",
    ),
]
