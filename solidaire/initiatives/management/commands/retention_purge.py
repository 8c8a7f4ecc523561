from django.core.management.base import BaseCommand

from solidaire.initiatives.retention import retention_purge


class Command(BaseCommand):
    help = (
        "Supprime ce qui a dépassé sa durée de conservation : propositions refusées ou "
        "retirées, tâches de fond terminées, sessions expirées (à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        counts = retention_purge()
        self.stdout.write(
            f"{counts.proposals} proposition(s) refusée(s) ou retirée(s) et "
            f"{counts.tasks} tâche(s) terminée(s) supprimée(s)."
        )
