"""/gestion/imports/: drop a document, review what was found, create the drafts."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from solidaire.accounts.access import check_scope, moderated_department_codes, role_required
from solidaire.accounts.models import Role
from solidaire.initiatives.models import ActorKind

from .forms import ImportOptionsForm, InitiativeChoiceForm, UploadForm
from .highlight import legend, segments
from .models import DocumentStatus, ImportedDocument
from .readers import ReadError, read_capped
from .selectors import document_edits, document_selection, documents_for
from .services import (
    DuplicateDocument,
    ImportFailed,
    document_analyse,
    document_choices_save,
    document_import,
    document_warnings,
    documents_analyse,
)


def _get_document_for_user(request, pk) -> ImportedDocument:
    document = get_object_or_404(ImportedDocument.objects.select_related("campaign"), pk=pk)
    check_scope(request.user, Role.MODERATOR, document.department_id)
    return document


# Room for the form's other fields and the multipart envelope around the file.
ENVELOPE_BYTES = 256 * 1024


def _announced_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.IMPORT_MAX_BYTES + ENVELOPE_BYTES


@role_required(Role.MODERATOR)
def upload(request):
    departments = moderated_department_codes(request.user)
    if request.method == "POST" and _announced_too_large(request):
        # Refused from its announced length: the body is never read nor stored.
        form = UploadForm(departments=departments)
        form.full_clean()
        form.cleaned_data = {}  # an unbound form keeps none; add_error needs one
        form.add_error(
            None,
            f"Envoi trop volumineux : la limite est de {settings.IMPORT_MAX_BYTES / 1e6:.0f} Mo "
            "par fichier.",
        )
        return _upload_page(request, form, status=413)
    form = UploadForm(request.POST or None, request.FILES or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        options = {
            "department": data["department"].code,
            "campaign": data["campaign"],
            "by": request.user,
            "background": True,
        }
        try:
            if upload:
                content = read_capped(upload, size=upload.size)
                outcomes = documents_analyse(data=content, name=upload.name, **options)
            else:
                document, created = document_analyse(
                    text=data["text"], name="Texte collé", **options
                )
                outcomes = [{"name": "Texte collé", "document": document, "created": created}]
        except (ImportFailed, ReadError) as exc:
            form.add_error(None, str(exc))
        else:
            return _after_upload(request, form, outcomes)
    return _upload_page(request, form)


def _after_upload(request, form, outcomes):
    """The review of the first document read; the others (an e-mail's attachments) are
    listed on the import page, and each part that failed says why."""
    documents = [o for o in outcomes if "document" in o]
    for outcome in outcomes:
        if outcome.get("skipped"):
            messages.info(
                request, f"Pièces jointes non lues (format) : {', '.join(outcome['skipped'])}."
            )
    if not documents:
        for outcome in outcomes:
            form.add_error(None, f"{outcome['name']} : {outcome['error']}")
        return _upload_page(request, form)
    for outcome in outcomes:
        if "error" in outcome:
            messages.warning(request, f"{outcome['name']} : {outcome['error']}")
    for outcome in documents:
        # The same text may have been dropped before by another département.
        check_scope(request.user, Role.MODERATOR, outcome["document"].department_id)
    if len(documents) > 1:
        messages.info(
            request,
            f"Ce courriel donne {len(documents)} documents, chacun à relire et à importer : "
            + ", ".join(o["name"] for o in documents)
            + " (voir la liste des documents déposés).",
        )
    first = documents[0]
    if not first["created"]:
        messages.info(request, "Ce document a déjà été déposé : voici son analyse.")
    return redirect("imports:review", pk=first["document"].pk)


def _upload_page(request, form, *, status=200):
    return render(
        request,
        "imports/upload.html",
        {
            "title": "Importer un bulletin",
            "form": form,
            "documents": documents_for(user=request.user)[:20],
        },
        status=status,
    )


def _pending_page(request, document, *, template="imports/pending.html"):
    return render(
        request,
        template,
        {"title": f"Import : {document.source_name}", "document": document},
    )


@require_GET
@role_required(Role.MODERATOR)
def progress(request, pk):
    """The progress notice alone, polled by the pending page (htmx) until the analysis ends."""
    document = _get_document_for_user(request, pk)
    response = _pending_page(request, document, template="imports/_progress.html")
    if document.status != DocumentStatus.ANALYSING:
        response["HX-Refresh"] = "true"  # done or failed: the whole page shows the outcome
    return response


def _accepted_possible(data, result, indexes):
    """(initiative index, INSEE code) of the possible commune the moderator accepted, if any."""
    if data is None or not data.get("accept"):
        return None
    index, _, code = data["accept"].partition(":")
    if not index.isdigit() or int(index) not in indexes:
        return None
    offered = {(p["initiative"], p["code"]) for p in result.get("possible", [])}
    return (int(index), code) if (int(index), code) in offered else None


def _choice_form(data, index, found, stored):
    """One initiative's form, showing the title and actor found unless the moderator's."""
    initial = {"include": True, "communes": found["communes"]}
    initial.update(stored.get(str(index), {}))
    initial["title"] = initial.get("title") or found.get("title") or ""
    initial["actor"] = initial.get("actor") or found.get("actor") or ""
    return InitiativeChoiceForm(data, prefix=f"i{index}", initial=initial)


@role_required(Role.MODERATOR)
def review(request, pk):
    document = _get_document_for_user(request, pk)
    if document.status in (DocumentStatus.ANALYSING, DocumentStatus.FAILED):
        return _pending_page(request, document)
    result = document.result
    found = result.get("initiatives", [])
    # A long result is reviewed page by page: each page's form stores its own choices
    # (document.choices); the import button creates from every page's stored choices.
    page = Paginator(range(len(found)), settings.IMPORT_REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    indexes = range(page.start_index() - 1, page.end_index()) if found else range(0)
    stored = document.choices or {}
    data = request.POST if request.method == "POST" else None
    accepted = _accepted_possible(data, result, indexes)
    if accepted is not None:  # "Ajouter" on a possible commune: the page's choices plus it
        data = data.copy()
        data.appendlist(f"i{accepted[0]}-communes", accepted[1])
    forms = {index: _choice_form(data, index, found[index], stored) for index in indexes}
    options = ImportOptionsForm(
        data, prefix="doc", departments=moderated_department_codes(request.user)
    )
    imported = document.status == DocumentStatus.IMPORTED
    # Refused, the page comes back with every tick and correction as typed, nothing created.
    errors = []
    series = None
    if data is not None and not imported and options.is_valid():
        series = options.cleaned_data["series"]
    valid = data is not None and options.is_valid() and all(f.is_valid() for f in forms.values())
    if valid and not imported:
        document = document_choices_save(
            document=document,
            choices={
                i: {
                    "include": f.cleaned_data["include"],
                    "communes": [c.pk for c in f.cleaned_data["communes"]],
                    "title": f.cleaned_data["title"],
                    "actor": f.cleaned_data["actor"],
                    "keep_names": f.cleaned_data["keep_names"],
                }
                for i, f in forms.items()
            },
        )
        selection, corrections = document_selection(document)
        if accepted is not None:
            name = next(p["name"] for p in result["possible"] if p["code"] == accepted[1])
            messages.success(request, f"{name} ajoutée à l'initiative {accepted[0] + 1}.")
            return redirect(f"{request.path}?page={page.number}#initiative-{accepted[0] + 1}")
        if data.get("action") == "save":
            messages.success(request, f"Choix de la page {page.number} enregistrés.")
            target = page.next_page_number() if page.has_next() else page.number
            return redirect(f"{request.path}?page={target}")
        if not selection:
            errors.append("Cochez au moins une initiative à créer.")
        else:
            try:
                created = document_import(
                    document=document,
                    campaign=document.campaign,
                    selection=selection,
                    communes=corrections,
                    edits=document_edits(document),
                    series=series,
                    force=options.cleaned_data["force"],
                    by=request.user,
                )
            except DuplicateDocument as error:
                errors.append(
                    "Rien n'a été créé : doublon probable. Cochez « Créer quand même » si ce "
                    f"n'en est pas un. {' '.join(error.messages)}"
                )
            except ValidationError as error:
                errors.append(f"Rien n'a été créé : {' '.join(error.messages)}")
            else:
                if created:
                    s = "s" if len(created) > 1 else ""
                    messages.success(
                        request,
                        f"{len(created)} initiative{s} créée{s}, "
                        "à modérer dans la file des propositions.",
                    )
                else:  # sent twice: the first POST created them
                    messages.info(request, "Ce document était déjà importé : rien de nouveau.")
                return redirect("imports:review", pk=document.pk)
    boxes = segments(document.text, result, indexes=indexes)
    for segment in boxes:
        if segment["box"]:
            segment["item"] = found[segment["index"]]
            segment["form"] = forms[segment["index"]]
            segment["number"] = segment["index"] + 1
            kind = segment["item"].get("actor_kind") or ActorKind.OTHER
            segment["actor_kind_label"] = dict(ActorKind.choices).get(kind, kind)
            chosen = {str(c) for c in segment["form"]["communes"].value() or []}
            segment["possible"] = [
                p
                for p in result.get("possible", [])
                if p["initiative"] == segment["index"] and p["code"] not in chosen
            ]
    return render(
        request,
        "imports/review.html",
        {
            "title": f"Import : {document.source_name}",
            "document": document,
            "result": result,
            "segments": boxes,
            "legend": legend(),
            "imported": imported,
            "drafts": document.imported_initiatives.select_related("initiative"),
            "has_errors": data is not None and any(f.errors for f in forms.values()),
            "options": options,
            "warnings": [] if imported else document_warnings(document=document, series=series),
            "errors": errors,
            "page": page,
            "pages": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        },
    )
