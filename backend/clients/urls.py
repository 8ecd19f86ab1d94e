from django.urls import path

from backend.clients import apis, member_apis

urlpatterns = [
    path("client/", apis.ClientDataApi.as_view(), name="client-data"),
    path("client/companies/", apis.CompanyListApi.as_view(), name="client-companies"),
    path("client/companies/switch/", apis.CompanySwitchApi.as_view(), name="client-companies-switch"),
    path("client/invitations/", member_apis.InvitationListApi.as_view(), name="client-invitations"),
    path(
        "client/invitations/<id:membership_id>/accept/",
        member_apis.InvitationAcceptApi.as_view(),
        name="client-invitation-accept",
    ),
    path(
        "client/invitations/<id:membership_id>/decline/",
        member_apis.InvitationDeclineApi.as_view(),
        name="client-invitation-decline",
    ),
    path("client/users/", member_apis.MemberListApi.as_view(), name="client-users"),
    path("client/users/history/", member_apis.MemberHistoryApi.as_view(), name="client-users-history"),
    path("client/users/<id:membership_id>/", member_apis.MemberDetailApi.as_view(), name="client-user"),
    path(
        "client/users/<id:membership_id>/suspend/",
        member_apis.MemberSuspendApi.as_view(),
        name="client-user-suspend",
    ),
    path(
        "client/users/<id:membership_id>/resume/",
        member_apis.MemberResumeApi.as_view(),
        name="client-user-resume",
    ),
    path(
        "client/users/<id:membership_id>/activation/",
        member_apis.MemberActivationApi.as_view(),
        name="client-user-activation",
    ),
]
