from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "solidaire.outbox"
    label = "outbox"
    verbose_name = "Envois et travaux de fond"

    def ready(self):
        from .jobs import register_own_jobs

        register_own_jobs()
