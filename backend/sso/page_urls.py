"""Pages of the bank hand-off (and the demo bank). Included by portal_ui/urls.py."""

from django.urls import path

from backend.sso import simulator, views

# The demo bank's pages answer 404 unless BANK_SIMULATOR_ENABLED (simulator.simulator_only), checked on
# every request rather than when this module is imported.
urlpatterns = [
    path("sso/bank/", views.bank_handoff, name="sso_bank"),
    path("sso/bank/continue/", views.bank_handoff_continue, name="sso_bank_continue"),
    path("bank-simulator/", simulator.bank_login, name="bank_simulator_login"),
    path("bank-simulator/loans/", simulator.bank_loans, name="bank_simulator_loans"),
    path("bank-simulator/handoff/", simulator.bank_handoff, name="bank_simulator_handoff"),
    path("bank-simulator/logout/", simulator.bank_logout, name="bank_simulator_logout"),
]
