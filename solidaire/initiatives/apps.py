from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from solidaire.outbox.registry import builder_register, job_register


class InitiativesConfig(AppConfig):
    name = "solidaire.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives"

    def ready(self):
        # The search module connects the signals that keep search documents up to date.
        from . import reference, search  # noqa: F401 (reference connects its signals)

        post_migrate.connect(search.after_migrate, sender=self, dispatch_uid="initiatives_fts")
        from .place_counts import after_migrate as counts_after_migrate

        post_migrate.connect(counts_after_migrate, sender=self, dispatch_uid="place_counts")
        from .retention import retention_purge
        from .services import initiatives_archive_ended

        job_register(
            name="archive_ended",
            label="Archiver les initiatives terminées",
            every=timedelta(days=1),
            run=lambda: f"{initiatives_archive_ended()} initiative(s) archivée(s)",
        )
        job_register(
            name="retention_purge",
            label="Supprimer les propositions refusées ou retirées après leur délai de conservation",
            every=timedelta(days=1),
            run=lambda: str(retention_purge()),
        )
        from . import freshness

        builder_register(freshness.BUILDER, freshness.build_message)
        job_register(
            name="freshness_asks",
            label="Demander aux porteurs si leur initiative est toujours active (et relancer)",
            every=timedelta(days=1),
            run=lambda: str(freshness.freshness_asks_run()),
        )
        job_register(
            name="freshness_states",
            label="Marquer « à confirmer » puis masquer les initiatives que personne ne confirme",
            every=timedelta(days=1),
            run=freshness.freshness_states_summary,
        )
