"""/gestion/imports/: drop a document, review what was found, create the drafts."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from solidaire.accounts.access import check_scope, moderated_department_codes, role_required
from solidaire.accounts.models import Role
from solidaire.initiatives.models import ActorKind

from .forms import InitiativeChoiceForm, UploadForm
from .highlight import legend, segments
from .models import DocumentStatus, ImportedDocument
from .readers import ReadError, read_capped
from .selectors import documents_for
from .services import ImportFailed, document_analyse, document_import


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
        try:
            content = read_capped(upload, size=upload.size) if upload else None
            document, created = document_analyse(
                data=content,
                text=None if upload else data["text"],
                name=upload.name if upload else "Texte collé",
                department=data["department"].code,
                campaign=data["campaign"],
                by=request.user,
            )
        except (ImportFailed, ReadError) as exc:
            form.add_error(None, str(exc))
        else:
            # The same text may have been dropped before by another département.
            check_scope(request.user, Role.MODERATOR, document.department_id)
            if not created:
                messages.info(request, "Ce document a déjà été déposé : voici son analyse.")
            return redirect("imports:review", pk=document.pk)
    return _upload_page(request, form)


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


@role_required(Role.MODERATOR)
def review(request, pk):
    document = _get_document_for_user(request, pk)
    result = document.result
    found = result.get("initiatives", [])
    data = request.POST if request.method == "POST" else None
    forms = [
        InitiativeChoiceForm(
            data,
            prefix=f"i{index}",
            initial={"include": True, "communes": item["communes"]},
        )
        for index, item in enumerate(found)
    ]
    imported = document.status == DocumentStatus.IMPORTED
    # Refused, the page comes back with every tick and correction as typed, nothing created.
    errors = []
    if data is not None and not imported and all(f.is_valid() for f in forms):
        selection = [i for i, f in enumerate(forms) if f.cleaned_data["include"]]
        if not selection:
            errors.append("Cochez au moins une initiative à créer.")
        else:
            corrections = {i: [c.pk for c in forms[i].cleaned_data["communes"]] for i in selection}
            try:
                created = document_import(
                    document=document,
                    campaign=document.campaign,
                    selection=selection,
                    communes=corrections,
                    by=request.user,
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
    boxes = segments(document.text, result)
    for segment in boxes:
        if segment["box"]:
            segment["item"] = found[segment["index"]]
            segment["form"] = forms[segment["index"]]
            segment["number"] = segment["index"] + 1
            kind = segment["item"].get("actor_kind") or ActorKind.OTHER
            segment["actor_kind_label"] = dict(ActorKind.choices).get(kind, kind)
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
            "has_errors": data is not None and any(f.errors for f in forms),
            "errors": errors,
        },
    )
