import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from solidaire.territory.finder import index_invalidate
from solidaire.territory.loading import load_territory
from solidaire.territory.reference import DATA_DIR, TerritoryDataError


class Command(BaseCommand):
    help = "Charge (ou met à jour) les régions, départements, arrondissements, EPCI et communes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", default=str(DATA_DIR), help="Dossier des fichiers de référence"
        )

    def handle(self, *args, data_dir, **options):
        started = time.perf_counter()
        try:
            summary = load_territory(Path(data_dir))
        except TerritoryDataError as exc:
            raise CommandError(f"{exc} — base inchangée.") from exc
        index_invalidate()
        elapsed = time.perf_counter() - started
        if options["verbosity"] == 0:
            return None
        state = "mis à jour" if summary.changed else "déjà à jour"
        return f"Référentiel géographique {state} en {elapsed:.1f} s — {summary}"
