from django.apps import AppConfig

from solidaire.initiatives.erasers import eraser_register
from solidaire.outbox.registry import builder_register, job_register


class AlertsConfig(AppConfig):
    name = "solidaire.alerts"
    label = "alerts"
    verbose_name = "Alertes"

    def ready(self):
        from .digests import BUILDER, build_delivery, scheduled_jobs
        from .erasure import alerts_erase

        builder_register(BUILDER, build_delivery)
        for name, label, every, run in scheduled_jobs():
            job_register(name=name, label=label, every=every, run=run)
        eraser_register(alerts_erase)
