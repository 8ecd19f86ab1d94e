"""Pages of account access: activation link, password reset. Included by portal_ui/urls.py."""

from django.urls import path

from backend.accounts import access_views

urlpatterns = [
    path("activate/<uidb64>/<token>/", access_views.ActivateAccountView.as_view(), name="account_activate"),
    path("password-reset/", access_views.forgot_password, name="password_reset"),
    path("password-reset/sent/", access_views.forgot_password_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        access_views.ResetPasswordConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
