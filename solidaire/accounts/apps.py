from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "solidaire.accounts"
    label = "accounts"
    verbose_name = "Comptes et habilitations"
