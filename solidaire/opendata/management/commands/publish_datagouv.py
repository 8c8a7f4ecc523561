"""Create or update the platform's dataset on data.gouv.fr (see opendata/datagouv.py)."""

import logging

from django.core.management.base import BaseCommand, CommandError

from solidaire.opendata.datagouv import DatagouvError, publish

logger = logging.getLogger("solidaire.opendata.datagouv")


class Command(BaseCommand):
    help = (
        "Publie ou met à jour le jeu de données de la plateforme sur data.gouv.fr : CSV, "
        "GeoJSON, fichiers data·inclusion et datapackage.json (réglages DATAGOUV_*)."
    )

    def handle(self, *args, **options):
        try:
            summary = publish()
        except DatagouvError as exc:
            logger.error("Publication sur data.gouv.fr interrompue : %s", exc)
            raise CommandError(
                f"Publication sur data.gouv.fr interrompue : {exc} Ce qui était déjà publié "
                "reste en place ; relancez la commande : elle n'enverra que ce qui diffère."
            ) from exc
        self.stdout.write(summary.text())
