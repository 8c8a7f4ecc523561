"""Build the full open data files now (the scheduled job's work), with data·inclusion's report."""

from django.core.management.base import BaseCommand

from solidaire.opendata.full_exports import exports_build
from solidaire.opendata.models import ExportFile


class Command(BaseCommand):
    help = (
        "Prépare les fichiers complets des données ouvertes (CSV, JSON, GeoJSON, "
        "data·inclusion) et signale les initiatives que le schéma data·inclusion refuse."
    )

    def handle(self, *args, **options):
        for file in exports_build():
            self.stdout.write(
                f"{file.fmt} : {file.rows} enregistrement(s), {file.size} octets, "
                f"SHA-256 {file.sha256}"
            )
        services = ExportFile.objects.filter(fmt="di-services").first()
        for problem in services.problems if services else []:
            self.stdout.write(
                f"Refusée par le schéma data·inclusion : initiative n° {problem['initiative']} "
                f"« {problem['title']} » : {' ; '.join(problem['errors'])}"
            )
