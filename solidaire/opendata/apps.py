from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.db import transaction

from solidaire.initiatives.erasers import eraser_register
from solidaire.initiatives.signals import publication_batch
from solidaire.outbox.registry import job_register


def _after_publication_batch(sender, **kwargs):
    from .tasks import exports_build_task

    transaction.on_commit(lambda: exports_build_task.enqueue(), robust=True)


def _regenerate_after_erasure(erasure):
    # The full files copy the public fields: an erased person leaves them with the next
    # generation, asked for now (the replaced files are deleted from the storage).
    if erasure.touched or erasure.own:
        _after_publication_batch(None)


class OpendataConfig(AppConfig):
    name = "solidaire.opendata"
    label = "opendata"
    verbose_name = "Données ouvertes"

    def ready(self):
        from .full_exports import exports_build_summary

        job_register(
            name="exports_build",
            label="Préparer les fichiers complets des données ouvertes",
            every=timedelta(minutes=settings.EXPORT_BUILD_MINUTES),
            run=exports_build_summary,
        )
        publication_batch.connect(_after_publication_batch, dispatch_uid="opendata_exports")
        eraser_register(_regenerate_after_erasure)
