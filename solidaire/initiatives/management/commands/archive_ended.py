from django.core.management.base import BaseCommand

from solidaire.initiatives.services import initiatives_archive_ended
from solidaire.initiatives.tasks import archive_ended


class Command(BaseCommand):
    help = "Archive les initiatives publiées dont la date de fin est passée (à lancer chaque jour)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="confier le travail à la file de tâches"
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            archive_ended.enqueue()
            self.stdout.write("Archivage confié à la file de tâches.")
            return
        count = initiatives_archive_ended()
        self.stdout.write(f"{count} initiative(s) archivée(s).")
