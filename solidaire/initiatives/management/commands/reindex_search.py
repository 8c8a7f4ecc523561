"""Rebuild every initiative's search document and the database's full-text index."""

from django.core.management.base import BaseCommand

from solidaire.initiatives.search import initiative_reindex_all


class Command(BaseCommand):
    help = "Recalcule l'index de recherche plein texte de toutes les initiatives."

    def handle(self, *args, **options):
        count = initiative_reindex_all()
        self.stdout.write(f"{count} initiative(s) réindexée(s).")
