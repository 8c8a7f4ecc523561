from datetime import timedelta

from django.apps import AppConfig

from solidaire.initiatives.mentions import mention_register
from solidaire.outbox.registry import builder_register, job_register


class BulletinsConfig(AppConfig):
    name = "solidaire.bulletins"
    label = "bulletins"
    verbose_name = "Bulletins"

    def ready(self):
        # The initiative page shows which numbers relayed it, without loading our tags.
        from .relays import relayed_in

        mention_register(relayed_in)
        # Ledger rows of a mailing are rendered when they leave (apps.py of outbox).
        from .mailing import BUILDER, build_delivery
        from .subscriptions import purge_expired_pending

        builder_register(BUILDER, build_delivery)
        job_register(
            name="purge_pending_subscribers",
            label="Effacer les abonnements jamais confirmés",
            every=timedelta(days=1),
            run=purge_expired_pending,
        )
