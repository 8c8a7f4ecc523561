from django.core.management.base import BaseCommand, CommandError

from solidaire.bulletins.mailing import send_bulletin
from solidaire.bulletins.models import Bulletin, BulletinStatus


class Command(BaseCommand):
    help = (
        "Envoie un numéro publié aux abonnés confirmés et aux destinataires presse qui ne "
        "l'ont pas encore reçu (registre des envois : personne ne le reçoit deux fois)."
    )

    def add_arguments(self, parser):
        parser.add_argument("series_slug")
        parser.add_argument("number", type=int)

    def handle(self, *args, series_slug, number, **options):
        bulletin = (
            Bulletin.objects.select_related("series")
            .filter(series__slug=series_slug, number=number, status=BulletinStatus.PUBLISHED)
            .first()
        )
        if bulletin is None:
            raise CommandError(f"Aucun n°{number} publié dans la série « {series_slug} ».")
        counts = send_bulletin(bulletin)
        self.stdout.write(
            f"{bulletin} : {counts.sent} e-mail(s) envoyé(s), {counts.failed} en échec."
        )
