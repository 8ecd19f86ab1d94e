"""Pages of the live request view and the SSO landing placeholder (helper D). Included last."""

from django.urls import path

from portal_ui import live_views

urlpatterns = [
    path("contracts/<int:contract_id>/", live_views.contract_placeholder, name="live_contract_detail"),
    path("requests/<int:request_id>/live/", live_views.request_live, name="live_request"),
    path(
        "requests/<int:request_id>/live/status/", live_views.request_live_status, name="live_request_status"
    ),
]
