from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "solidaire.opendata"
    label = "opendata"
    verbose_name = "Données ouvertes"
