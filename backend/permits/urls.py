from django.urls import path

from backend.permits import apis, views

urlpatterns = [
    path("verify/permit/", views.verify_permit_form, name="permit-verify-form"),
    path("verify/permit/<str:code>/", views.verify_permit, name="permit-verify"),
    path(
        "api/staff/requests/<id:request_id>/revoke-permit/",
        apis.StaffRevokePermitApi.as_view(),
        name="staff-revoke-permit-api",
    ),
]
