from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from solidaire.initiatives.services import initiatives_purge_personal_data


class Command(BaseCommand):
    help = "Efface le nom, l'e-mail et le téléphone des déposants des initiatives créées avant une date."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="date AAAA-MM-JJ (exclue)")

    def handle(self, *args, before, **options):
        try:
            day = datetime.strptime(before, "%Y-%m-%d").date()
        except ValueError:
            raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from None
        moment = datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
        count = initiatives_purge_personal_data(before=moment)
        self.stdout.write(
            f"Données personnelles effacées pour {count} initiative(s) créée(s) avant le {day:%d/%m/%Y}."
        )
