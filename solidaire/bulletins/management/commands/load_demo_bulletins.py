from django.core.management.base import BaseCommand

from solidaire.bulletins.demo import load_demo_bulletin


class Command(BaseCommand):
    help = "Crée la série « pas-de-calais-solidaire » et publie son n°6 du 24 avril 2020."

    def handle(self, *args, **options):
        bulletin, created = load_demo_bulletin()
        state = "publié" if created else "déjà là"
        self.stdout.write(f"{bulletin} ({bulletin.items.count()} initiatives) : {state}.")
