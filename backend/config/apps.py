"""Third-party apps under Polish names in the admin: each is the package's own AppConfig with a
translated verbose_name (same name and label, so models, migrations and ready() are unchanged)."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as OtpStaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login lock-outs")


class OtpTotpConfig(OtpTotpAppConfig):
    verbose_name = _("Authenticator apps (TOTP)")


class OtpStaticConfig(OtpStaticAppConfig):
    verbose_name = _("Recovery codes")
