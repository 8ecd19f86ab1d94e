from django.urls import path

from backend.contracts import apis, buyout_apis

urlpatterns = [
    path("contracts/", apis.ContractListApi.as_view(), name="contract-list"),
    path("contracts/<id:contract_id>/", apis.ContractDetailApi.as_view(), name="contract-detail"),
    path(
        "contracts/<id:contract_id>/schedule/", apis.ContractScheduleApi.as_view(), name="contract-schedule"
    ),
    path(
        "contracts/<id:contract_id>/schedule/pdf/",
        apis.ContractSchedulePdfApi.as_view(),
        name="contract-schedule-pdf",
    ),
    path(
        "contracts/<id:contract_id>/schedule/xlsx/",
        apis.ContractScheduleXlsxApi.as_view(),
        name="contract-schedule-xlsx",
    ),
    path(
        "contracts/<id:contract_id>/schedule/csv/",
        apis.ContractScheduleCsvApi.as_view(),
        name="contract-schedule-csv",
    ),
    path("contracts/<id:contract_id>/items/", apis.ContractItemsApi.as_view(), name="contract-items"),
    path(
        "contracts/<id:contract_id>/buyout-quotes/",
        buyout_apis.ContractBuyoutQuotesApi.as_view(),
        name="contract-buyout-quotes",
    ),
    path(
        "contracts/<id:contract_id>/buyout-quotes/<id:quote_id>/",
        buyout_apis.BuyoutQuoteDetailApi.as_view(),
        name="contract-buyout-quote",
    ),
    path(
        "contracts/<id:contract_id>/buyout-quotes/<id:quote_id>/pdf/",
        buyout_apis.BuyoutQuotePdfApi.as_view(),
        name="contract-buyout-quote-pdf",
    ),
    path(
        "contracts/<id:contract_id>/policies/", apis.ContractPoliciesApi.as_view(), name="contract-policies"
    ),
    path(
        "contracts/<id:contract_id>/policies/active/",
        apis.ContractActivePolicyApi.as_view(),
        name="contract-active-policy",
    ),
    path(
        "contracts/<id:contract_id>/policies/<id:policy_id>/",
        apis.ContractPolicyDetailApi.as_view(),
        name="contract-policy-detail",
    ),
]
