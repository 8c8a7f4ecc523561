"""Writes of the import area: analyse a document, then create its drafts in one transaction."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from datetime import date as date_type

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from solidaire.accounts.models import User
from solidaire.bulletins.services import bulletin_record_past
from solidaire.initiatives.models import Campaign, ContactKind, Source
from solidaire.initiatives.services import initiative_create, normalize_contact
from solidaire.territory.gazetteer import get_gazetteer

from . import steps
from .duplicates import duplicate_warnings
from .models import DocumentStatus, ImportedDocument, ImportedInitiative
from .pipeline import STEPS, run
from .readers import ReadError, file_format, read_document_noted, split_email
from .tasks import analyse_document

logger = logging.getLogger(__name__)


class ImportFailed(Exception):
    """A document could not be imported; the message is for the user, in French."""


class DuplicateDocument(ValidationError):
    """Importing would create duplicates (see duplicates.py); nothing was created."""


# A text naming this many communes, with few words for each, is a list of communes (every
# commune of a département), not initiatives.
COMMUNE_LIST_MIN = 100
COMMUNE_LIST_WORDS_PER_COMMUNE = 8


def content_hash(text: str) -> str:
    # Hash the extracted text, folded of its whitespace: the same bulletin as .txt or
    # re-saved with other line ends is the same document.
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode()).hexdigest()


def document_analyse(
    *,
    data: bytes | None = None,
    text: str | None = None,
    name: str,
    department: str | None = None,
    campaign: Campaign | None = None,
    series_department: str | None = None,
    by: User | None = None,
    save: bool = True,
    background: bool = False,
) -> tuple[ImportedDocument, bool]:
    """Read and analyse a file (``data``) or pasted ``text``; returns (document, created).

    A document already analysed (same text) is returned as it is, unchanged. With
    ``background``, a text over IMPORT_BACKGROUND_BYTES characters is saved "en cours
    d'analyse" and analysed by the task queue (document_analysis_run).
    """
    notes: list[str] = []
    try:
        if text is None:
            text, fmt, notes = read_document_noted(data or b"", name)
        else:
            fmt = "paste"
            if len(text.encode()) > settings.IMPORT_MAX_BYTES:
                raise ReadError("Texte trop long.")
            if not text.strip():
                raise ReadError("Le texte est vide.")
    except ReadError as exc:
        raise ImportFailed(str(exc)) from exc
    if not steps.looks_french(text):
        raise ImportFailed("Le texte ne semble pas rédigé en français : rien n'a été importé.")
    digest = content_hash(text)
    existing = ImportedDocument.objects.filter(content_hash=digest).first()
    if existing is not None:
        if existing.status == DocumentStatus.ANALYSING and not background:
            # The command has no page to wait on: it says so rather than import nothing.
            raise ImportFailed(
                "Ce document est en cours d'analyse en arrière-plan : "
                "réessayez une fois l'analyse terminée."
            )
        if existing.status != DocumentStatus.FAILED:
            return existing, False
        existing.delete()  # dropped again after a failed analysis: tried afresh
    document = ImportedDocument(
        content_hash=digest,
        source_name=name[:255],
        file_format=fmt,
        text=text,
        department_id=department,
        campaign=campaign,
        created_by=by,
    )
    if save and background and len(text) > settings.IMPORT_BACKGROUND_BYTES:
        document.status = DocumentStatus.ANALYSING
        document.progress = 0
        document.save()
        pk = document.pk
        transaction.on_commit(lambda: analyse_document.enqueue(pk), robust=True)
        return document, True
    document.result = _analysis(document, series_department=series_department)
    _refuse_commune_list(document.result, text)
    if notes:
        document.result["notes"] = notes
    if save:
        document.save()
    return document, True


def _refuse_commune_list(result: Mapping, text: str) -> None:
    """A list of communes (all those of a département) is refused, as it is no initiative."""
    communes = {code for item in result.get("initiatives", []) for code in item["communes"]}
    words = len(text.split())
    if len(communes) >= COMMUNE_LIST_MIN and words < COMMUNE_LIST_WORDS_PER_COMMUNE * len(communes):
        raise ImportFailed(
            f"Ce texte est une liste de {len(communes)} communes, pas des initiatives : "
            "rien n'a été importé. Importez le bulletin ou le courriel qui décrit les actions."
        )


def documents_analyse(*, data: bytes, name: str, **options) -> list[dict]:
    """Each document of a file: itself, or for an e-mail its body and each readable
    attachment. One dict per document: ``name``, then ``document`` and ``created``, or
    ``error`` (French); ``skipped`` on the first lists the attachments not read.
    Raises ImportFailed when the file itself cannot be read.
    """
    try:
        fmt = file_format(name)
        parts, skipped = split_email(data, name) if fmt == "eml" else ([(name, data)], [])
    except ReadError as exc:
        raise ImportFailed(str(exc)) from exc
    outcomes = []
    for part_name, part_data in parts:
        try:
            document, created = document_analyse(data=part_data, name=part_name, **options)
        except ImportFailed as exc:
            outcomes.append({"name": part_name, "error": str(exc)})
        else:
            outcomes.append({"name": part_name, "document": document, "created": created})
    if outcomes and skipped:
        outcomes[0]["skipped"] = skipped
    return outcomes


def document_warnings(*, document: ImportedDocument, series=None) -> list[str]:
    """Duplicates this document would create (empty once imported: nothing more will be)."""
    if document.status != DocumentStatus.ANALYSED:
        return []
    return duplicate_warnings(result=document.result, series=series)


def _analysis(document: ImportedDocument, *, series_department=None, on_step=None) -> dict:
    result = run(
        document.text,
        department=document.department_id,
        series_department=series_department,
        on_step=on_step,
    )
    return {
        **result.as_json(source=document.source_name),
        "rejected": [e.as_dict() for e in result.rejected],
        "possible": result.possible,
        "header_evidence": [e.as_dict() for e in result.header_evidence],
        "log": [{"step": r.name, "summary": r.summary} for r in result.log],
        "spans": [[i.start, i.end] for i in result.initiatives],
    }


def document_analysis_run(*, document: ImportedDocument) -> ImportedDocument:
    """Analyse a document saved "en cours d'analyse", writing its progress as it goes.

    Any failure marks it failed with a French message (shown on its page) rather than
    leaving it pending for ever.
    """
    queryset = ImportedDocument.objects.filter(pk=document.pk)

    def progress(name, done, total):
        document.progress = round(100 * done / total)
        document.progress_step = STEPS.get(name, name)
        queryset.update(progress=document.progress, progress_step=document.progress_step)

    try:
        result = _analysis(document, on_step=progress)
    except Exception as exc:
        document.status = DocumentStatus.FAILED
        document.error = (
            "L'analyse du document a échoué"
            + (f" après l'étape « {document.progress_step} »" if document.progress_step else "")
            + " : déposez-le de nouveau ou signalez-le à l'équipe technique."
        )
        queryset.update(status=document.status, error=document.error)
        logger.exception("Import analysis failed for document %s: %s", document.pk, exc)
        return document
    document.result = result
    document.status = DocumentStatus.ANALYSED
    document.progress = 100
    document.error = ""
    queryset.update(result=result, status=document.status, progress=100, error="")
    return document


def document_choices_save(
    *, document: ImportedDocument, choices: Mapping[int, Mapping]
) -> ImportedDocument:
    """Store the review's choices of some initiatives (one page), keeping the others."""
    with transaction.atomic():
        locked = ImportedDocument.objects.select_for_update().get(pk=document.pk)
        stored = dict(locked.choices or {})
        for index, choice in choices.items():
            stored[str(index)] = {
                "include": bool(choice["include"]),
                "communes": list(choice["communes"]),
                # The moderator's title and actor ("" keeps what was found).
                "title": (choice.get("title") or "").strip()[:200],
                "actor": (choice.get("actor") or "").strip()[:200],
                "keep_names": bool(choice.get("keep_names")),
            }
        locked.choices = stored
        locked.save(update_fields=["choices"])
    document.choices = stored
    return document


def _title(initiative: Mapping) -> str:
    """The title found by the pipeline (step "fields"); documents analysed before it
    existed fall back on one made from their text."""
    if initiative.get("title"):
        return initiative["title"][:200]
    return steps.make_title(
        initiative.get("text") or "",
        items=[q["item"] for q in initiative.get("quantities") or []],
        actor=initiative.get("actor"),
    )


def _description(initiative: Mapping, keep_names: bool) -> str:
    found = initiative.get("description_with_names" if keep_names else "description")
    return (found or initiative.get("text") or "").strip()[:10000]


def _contacts(initiative: Mapping) -> list[tuple[str, str]]:
    contacts = []
    candidates = [(ContactKind.URL, v) for v in initiative.get("urls") or []]
    candidates += [(ContactKind.EMAIL, v) for v in initiative.get("emails") or []]
    candidates += [(ContactKind.PHONE, v) for v in initiative.get("phones") or []]
    if initiative.get("contact_text"):
        candidates.append((ContactKind.TEXT, initiative["contact_text"]))
    for kind, value in candidates:
        try:
            normalize_contact(kind, value)
        except ValidationError:
            kind = ContactKind.TEXT  # kept for the moderator rather than lost
        contacts.append((kind, value[:500]))
    return contacts


def _dominant_department(result: Mapping) -> str | None:
    """The département most of the document's communes belong to (national instances)."""
    return get_gazetteer().dominant_department(
        code for initiative in result["initiatives"] for code in initiative["communes"]
    )


def _themes(campaign: Campaign, sections: list[str], section: int | None):
    if section is None or section >= len(sections):
        return []
    themes = list(campaign.themes.all())
    index = steps.match_theme(sections[section], [t.name for t in themes])
    return [themes[index]] if index is not None else []


def document_import(
    *,
    document: ImportedDocument,
    campaign: Campaign,
    selection: Iterable[int] | None = None,
    communes: Mapping[int, list[str]] | None = None,
    series=None,
    edits: Mapping[int, Mapping] | None = None,
    force: bool = False,
    by: User | None = None,
) -> list:
    """Create the drafts of ``document`` (all, or the initiatives at ``selection``).

    ``communes`` replaces, per initiative index, the communes found (the moderator's
    corrections); ``edits`` its title, actor and whether private names are kept. One
    transaction: a failure leaves no draft behind. A document already imported creates
    nothing new; one that would duplicate a recorded number or published initiatives
    raises DuplicateDocument unless ``force``.
    """
    result = document.result
    wanted = set(range(len(result.get("initiatives", [])))) if selection is None else set(selection)
    communes = communes or {}
    edits = edits or {}
    with transaction.atomic():
        locked = ImportedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == DocumentStatus.IMPORTED:
            return []
        if locked.status != DocumentStatus.ANALYSED:
            raise ValidationError("Le document n'est pas encore analysé.")
        if not force:
            warnings = duplicate_warnings(result=result, series=series)
            if warnings:
                raise DuplicateDocument(warnings)
        created = []
        owner = document.department_id or settings.HOME_DEPARTMENT or _dominant_department(result)
        for index, found in enumerate(result["initiatives"]):
            if index not in wanted:
                continue
            codes = communes.get(index, found["communes"])
            places = [("commune", code) for code in codes]
            places += [(area["kind"], area["code"]) for area in found["areas"]]
            edit = edits.get(index) or {}
            title = edit.get("title") or _title(found)
            description = _description(found, bool(edit.get("keep_names")))
            data = {
                "title": title[:200],
                "description": description or title,
                "campaign": campaign,
                "actor_name": (edit.get("actor") or found.get("actor") or "À préciser")[:200],
                "actor_kind": found.get("actor_kind") or "other",
                "beneficiaries": (found.get("beneficiaries") or "")[:300],
            }
            if found.get("start_date"):
                data["start_date"] = date_type.fromisoformat(found["start_date"])
            if owner:
                data["owner_department"] = owner
            initiative = initiative_create(
                data=data,
                source=Source.IMPORT,
                places=places,
                quantities=[
                    {**q, "item": q["item"][:100], "period": (q.get("period") or "")[:100]}
                    for q in found["quantities"]
                ],
                contacts=_contacts(found),
                themes=_themes(campaign, result["sections"], found["section"]),
                by=by,
            )
            ImportedInitiative.objects.create(
                document=locked, initiative=initiative, position=index
            )
            created.append(initiative)
        bulletin = None
        number = result["bulletin"].get("number")
        if series is not None and number:
            issued = result["bulletin"].get("date")
            bulletin = bulletin_record_past(
                series=series,
                number=number,
                date=date_type.fromisoformat(issued) if issued else timezone.localdate(),
                initiatives=created,
                calls_to_action="\n\n".join(c["text"] for c in result.get("calls_to_action", [])),
                by=by,
            )
        locked.status = DocumentStatus.IMPORTED
        locked.imported_at = timezone.now()
        locked.campaign = campaign
        locked.bulletin = bulletin
        locked.save(update_fields=["status", "imported_at", "campaign", "bulletin"])
    document.refresh_from_db()
    return created
