from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "solidaire.accounts"
    label = "accounts"
    verbose_name = "Comptes et habilitations"

    def ready(self):
        from . import checks  # noqa: F401  (registers the ProConnect settings' checks)
        from .middleware import start_activity

        user_logged_in.connect(start_activity, dispatch_uid="accounts.start_activity")
