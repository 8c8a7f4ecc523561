"""Write the Table Schema « Initiatives solidaires » into docs/schema/ (see tableschema.py)."""

from django.core.management.base import BaseCommand, CommandError

from solidaire.opendata.tableschema import SCHEMA_DIR, generated_files


class Command(BaseCommand):
    help = "Écrit le schéma de données « Initiatives solidaires » dans docs/schema/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Ne rien écrire ; échouer si les fichiers de docs/schema/ ne sont pas à jour.",
        )

    def handle(self, *args, check=False, **options):
        stale = []
        for name, text in generated_files().items():
            path = SCHEMA_DIR / name
            current = path.read_bytes().decode() if path.exists() else None
            if current == text:
                continue
            stale.append(name)
            if not check:
                SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode())
        if check and stale:
            raise CommandError(
                "Schéma pas à jour dans docs/schema/ : "
                + ", ".join(stale)
                + ". Lancez « manage.py write_table_schema »."
            )
        self.stdout.write(
            f"{len(stale)} fichier(s) écrit(s) dans docs/schema/" if not check else "À jour."
        )
