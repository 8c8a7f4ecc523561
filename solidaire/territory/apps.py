from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "solidaire.territory"
    label = "territory"
    verbose_name = "Territoire"
