from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "solidaire.initiatives"
    label = "initiatives"
