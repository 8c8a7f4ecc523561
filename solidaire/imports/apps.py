from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "solidaire.imports"
    label = "imports"
    verbose_name = "Imports de documents"
