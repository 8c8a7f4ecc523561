"""python manage.py import_bulletin PATH... : read bulletins into draft initiatives."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from solidaire.bulletins.models import BulletinSeries
from solidaire.initiatives.models import Campaign
from solidaire.territory.models import Department

from ...models import ImportedDocument
from ...readers import ReadError, read_capped
from ...services import (
    DuplicateDocument,
    ImportFailed,
    document_import,
    document_warnings,
    documents_analyse,
)


class Command(BaseCommand):
    help = (
        "Importe des bulletins, communiqués ou courriels (.txt, .md, .html, .pdf, .docx, .odt, "
        ".eml) : "
        "initiatives proposées (source « import ») dans la file de modération."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--campaign", metavar="SLUG", help="campagne des initiatives")
        parser.add_argument("--series", metavar="SLUG", help="série de bulletins du document")
        parser.add_argument("--department", metavar="CODE", help="département (ex. 62)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--dry-run", action="store_true", help="analyse sans rien créer")
        parser.add_argument(
            "--force",
            action="store_true",
            help="importer même un doublon (numéro déjà enregistré, initiatives déjà publiées)",
        )

    def handle(self, *paths, **options):
        series = self._series(options["series"])
        department = options["department"] or (series.department_id if series else None)
        if department and not Department.objects.filter(pk=department).exists():
            raise CommandError(f"Département inconnu : {department}")
        campaign = self._campaign(options["campaign"], series, options["dry_run"])
        paths = options["paths"]
        imported = failed = 0
        for position, raw in enumerate(paths, start=1):
            path = Path(raw)
            if len(paths) > 1:
                self._progress(position - 1, len(paths), path.name)
            try:
                outcomes = self._read(path, department, campaign, series, options)
            except ImportFailed as exc:
                failed += 1
                self.stderr.write(f"{path.name} : {exc}")
                continue
            for outcome in outcomes:
                if outcome.get("skipped"):
                    self.stderr.write(
                        f"{path.name} : pièces jointes non lues : {', '.join(outcome['skipped'])}."
                    )
                try:
                    if "error" in outcome:
                        raise ImportFailed(outcome["error"])
                    summary = self._one(
                        outcome["name"], outcome["document"], campaign, series, options
                    )
                    imported += 1
                except ImportFailed as exc:
                    failed += 1
                    self.stderr.write(f"{outcome['name']} : {exc}")
                    continue
                if options["format"] == "json":
                    self.stdout.write(json.dumps(summary["json"], ensure_ascii=False))
                else:
                    self.stdout.write(summary["text"])
        if len(paths) > 1:
            self._progress(len(paths), len(paths), "")
            self.stderr.write("")
        if not imported:
            raise CommandError("Aucun document n'a pu être importé.")
        if failed:
            self.stderr.write(f"{imported} document(s) importé(s), {failed} en échec.")

    def _series(self, slug):
        if not slug:
            return None
        try:
            return BulletinSeries.objects.select_related("campaign").get(slug=slug)
        except BulletinSeries.DoesNotExist as exc:
            raise CommandError(f"Série de bulletins inconnue : {slug}") from exc

    def _campaign(self, slug, series, dry_run):
        if slug:
            try:
                return Campaign.objects.get(slug=slug)
            except Campaign.DoesNotExist as exc:
                raise CommandError(f"Campagne inconnue : {slug}") from exc
        if series:
            return series.campaign
        active = list(Campaign.objects.filter(is_active=True)[:2])
        if len(active) == 1 or dry_run:
            return active[0] if active else None
        raise CommandError("Indiquez la campagne des initiatives : --campaign SLUG.")

    def _read(self, path, department, campaign, series, options):
        try:
            with path.open("rb") as stream:
                data = read_capped(stream, size=path.stat().st_size)
        except OSError as exc:
            raise ImportFailed(f"fichier illisible ({exc.strerror})") from exc
        except ReadError as exc:
            raise ImportFailed(str(exc)) from exc
        return documents_analyse(
            data=data,
            name=path.name,
            department=department,
            campaign=campaign,
            series_department=series.department_id if series else None,
            save=not options["dry_run"],
        )

    def _one(self, name, document, campaign, series, options):
        dry_run = options["dry_run"]
        for note in document.result.get("notes", []):
            self.stderr.write(f"{name} : {note}")
        drafts = []
        if dry_run:
            for warning in document_warnings(document=document, series=series):
                self.stderr.write(f"{name} : doublon probable : {warning}")
        else:
            try:
                drafts = document_import(
                    document=document, campaign=campaign, series=series, force=options["force"]
                )
            except DuplicateDocument as exc:
                raise ImportFailed(
                    "rien n'a été créé, doublon probable : "
                    + " ".join(exc.messages)
                    + " (--force pour l'importer quand même)"
                ) from exc
            except ValidationError as exc:  # BulletinError (number taken) is one too
                # The document's transaction was rolled back: no partial drafts.
                detail = "; ".join(getattr(exc, "messages", [str(exc)]))
                raise ImportFailed(f"rien n'a été créé ({detail})") from exc
        result = {
            k: v
            for k, v in document.result.items()
            if k in ("source", "bulletin", "sections", "initiatives", "calls_to_action")
        }
        count = len(result["initiatives"])
        if dry_run:
            verdict = "analyse seule, rien n'a été créé"
        elif drafts:
            verdict = f"{len(drafts)} initiative(s) créée(s) dans la file de modération"
        else:
            verdict = "déjà importé, rien de nouveau"
        lines = [f"{name} : {count} initiative(s) trouvée(s) ; {verdict}."]
        for i, item in enumerate(result["initiatives"], start=1):
            communes = ", ".join(item["communes"]) or "—"
            title = item.get("title") or item.get("actor") or "?"
            lines.append(f"  {i}. {title} — {item.get('actor') or '?'} — communes {communes}")
        if isinstance(document, ImportedDocument) and document.bulletin_id:
            lines.append(f"  enregistré comme n°{result['bulletin']['number']} de la série.")
        return {"json": result, "text": "\n".join(lines)}

    def _progress(self, done, total, name):
        width = 30
        filled = width * done // total
        bar = "█" * filled + "·" * (width - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} {name[:40]:<40}", ending="")
        self.stderr.flush()
