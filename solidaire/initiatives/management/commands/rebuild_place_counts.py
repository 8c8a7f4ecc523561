"""Recount the listed initiatives of every place (after a bulk load or a reference change)."""

from django.core.management.base import BaseCommand

from solidaire.initiatives.place_counts import place_counts_rebuild


class Command(BaseCommand):
    help = "Recalcule le nombre d'initiatives publiques de chaque lieu (carte, accueil, pages)."

    def handle(self, *args, **options):
        rows = place_counts_rebuild()
        self.stdout.write(f"{rows} compte(s) de lieux recalculé(s).")
        return False
