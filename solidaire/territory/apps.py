from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


class TerritoryConfig(AppConfig):
    name = "solidaire.territory"
    label = "territory"
    verbose_name = "Territoire"

    def ready(self):
        checks.register(check_instance_departments)


def check_instance_departments(app_configs=None, **kwargs):
    """settings.py already refuses an unknown code at start-up; this reports one set later
    (override_settings, a settings module of an instance's own) the same way."""
    from .instance import instance

    try:
        instance()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="territory.E001")]
    return []
