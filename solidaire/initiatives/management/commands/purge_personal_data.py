from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from solidaire.initiatives.erasure import initiatives_purge_personal_data, personal_data_erase
from solidaire.initiatives.models import Initiative


class Command(BaseCommand):
    help = (
        "Efface les données personnelles des déposants partout où elles ont été copiées : "
        "ceux des initiatives créées avant une date (--before), ou une personne désignée par "
        "une initiative, son e-mail, son nom ou son téléphone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", help="date AAAA-MM-JJ (exclue)")
        parser.add_argument("--initiative", type=int, help="numéro d'une initiative déposée")
        parser.add_argument("--email", default="", help="adresse e-mail de la personne")
        parser.add_argument("--name", default="", help="prénom et nom de la personne")
        parser.add_argument("--phone", default="", help="téléphone de la personne")

    def handle(self, *args, before, initiative, email, name, phone, **options):
        if before:
            return self._before(before)
        if not (initiative or email.strip() or name.strip() or phone.strip()):
            raise CommandError(
                "Indiquez --before, ou la personne : --initiative, --email, --name ou --phone."
            )
        target = None
        if initiative:
            target = Initiative.objects.filter(pk=initiative).first()
            if target is None:
                raise CommandError(f"Aucune initiative n°{initiative}.")
        counts = personal_data_erase(
            initiative=target, email=email, name=name, phone=phone, by=None
        )
        lines = [f"- {place} : {n}" for place, n in sorted(counts.items()) if n]
        self.stdout.write("\n".join(["Données personnelles effacées.", *lines]))

    def _before(self, before):
        try:
            day = datetime.strptime(before, "%Y-%m-%d").date()
        except ValueError:
            raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from None
        moment = datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
        count = initiatives_purge_personal_data(before=moment)
        self.stdout.write(
            f"Données personnelles effacées pour {count} initiative(s) créée(s) avant le {day:%d/%m/%Y}."
        )
