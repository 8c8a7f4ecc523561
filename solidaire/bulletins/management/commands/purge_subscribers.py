from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from solidaire.bulletins.models import BulletinSeries
from solidaire.bulletins.subscriptions import subscribers_purge


class Command(BaseCommand):
    help = (
        "Efface des adresses d'abonnés : une adresse (--email), une série (--series), "
        "les demandes non confirmées (--pending-days) ou toutes (--all)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="")
        parser.add_argument("--series", default="", help="identifiant de la série")
        parser.add_argument("--pending-days", type=int, default=None)
        parser.add_argument("--all", action="store_true")

    def handle(self, *args, email, series, pending_days, all, **options):
        if not (email or series or pending_days is not None or all):
            raise CommandError("Précisez --email, --series, --pending-days ou --all.")
        series_obj = None
        if series:
            series_obj = BulletinSeries.objects.filter(slug=series).first()
            if series_obj is None:
                raise CommandError(f"Série inconnue : {series}")
        deleted = subscribers_purge(
            series=series_obj,
            email=email,
            pending_older_than=timedelta(days=pending_days) if pending_days is not None else None,
        )
        self.stdout.write(f"{deleted} adresse(s) effacée(s).")
