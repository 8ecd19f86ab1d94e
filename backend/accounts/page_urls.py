"""Pages of account access: activation link, password reset. Included by portal_ui/urls.py."""

from django.urls import path

from backend.accounts import access_views
from backend.accounts import second_factor_views as two_factor

urlpatterns = [
    path("activate/<uidb64>/<token>/", access_views.ActivateAccountView.as_view(), name="account_activate"),
    path("password-reset/", access_views.forgot_password, name="password_reset"),
    path("password-reset/sent/", access_views.forgot_password_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        access_views.ResetPasswordConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("login/code/", two_factor.verify, name="second_factor_verify"),
    path("account/security/", two_factor.security_page, name="account-security"),
    path("account/security/setup/", two_factor.setup, name="second_factor_setup"),
    path(
        "account/security/recovery-codes.txt",
        two_factor.recovery_codes_download,
        name="second_factor_recovery_download",
    ),
    path("account/security/recovery-codes/", two_factor.regenerate_codes, name="second_factor_regenerate"),
    path("account/security/forget-devices/", two_factor.forget_devices, name="second_factor_forget"),
    path("account/security/disable/", two_factor.disable, name="second_factor_disable"),
    path(
        "account/security/end-other-sessions/",
        two_factor.end_other_sessions,
        name="account_end_other_sessions",
    ),
]
