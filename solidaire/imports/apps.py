from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "solidaire.imports"
    label = "imports"
