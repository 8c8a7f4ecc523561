from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "solidaire.opendata"
    label = "opendata"
