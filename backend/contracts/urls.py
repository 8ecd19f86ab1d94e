from django.urls import path

from backend.contracts import apis, buyout_apis

urlpatterns = [
    path("contracts/", apis.ContractListApi.as_view(), name="contract-list"),
    path("contracts/<int:contract_id>/", apis.ContractDetailApi.as_view(), name="contract-detail"),
    path(
        "contracts/<int:contract_id>/schedule/", apis.ContractScheduleApi.as_view(), name="contract-schedule"
    ),
    path(
        "contracts/<int:contract_id>/schedule/pdf/",
        apis.ContractSchedulePdfApi.as_view(),
        name="contract-schedule-pdf",
    ),
    path(
        "contracts/<int:contract_id>/schedule/xlsx/",
        apis.ContractScheduleXlsxApi.as_view(),
        name="contract-schedule-xlsx",
    ),
    path(
        "contracts/<int:contract_id>/schedule/csv/",
        apis.ContractScheduleCsvApi.as_view(),
        name="contract-schedule-csv",
    ),
    path("contracts/<int:contract_id>/items/", apis.ContractItemsApi.as_view(), name="contract-items"),
    path(
        "contracts/<int:contract_id>/buyout-quotes/",
        buyout_apis.ContractBuyoutQuotesApi.as_view(),
        name="contract-buyout-quotes",
    ),
    path(
        "contracts/<int:contract_id>/buyout-quotes/<int:quote_id>/",
        buyout_apis.BuyoutQuoteDetailApi.as_view(),
        name="contract-buyout-quote",
    ),
    path(
        "contracts/<int:contract_id>/buyout-quotes/<int:quote_id>/pdf/",
        buyout_apis.BuyoutQuotePdfApi.as_view(),
        name="contract-buyout-quote-pdf",
    ),
    path(
        "contracts/<int:contract_id>/policies/", apis.ContractPoliciesApi.as_view(), name="contract-policies"
    ),
    path(
        "contracts/<int:contract_id>/policies/active/",
        apis.ContractActivePolicyApi.as_view(),
        name="contract-active-policy",
    ),
    path(
        "contracts/<int:contract_id>/policies/<int:policy_id>/",
        apis.ContractPolicyDetailApi.as_view(),
        name="contract-policy-detail",
    ),
]
