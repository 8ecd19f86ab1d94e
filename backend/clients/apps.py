from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "backend.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from backend.accounts.activation_code import register_activation_withdrawal
        from backend.clients.members import activation_withdrawal

        # An activation link of a member the company removed or suspended no longer activates anything.
        register_activation_withdrawal(activation_withdrawal)
