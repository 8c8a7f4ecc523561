"""Reads of the import area, scoped to the user's départements."""

from django.db.models import Count

from solidaire.accounts.access import moderated_department_codes

from .models import ImportedDocument


def documents_for(*, user):
    documents = ImportedDocument.objects.annotate(drafts=Count("imported_initiatives")).defer(
        "text", "result"
    )
    departments = moderated_department_codes(user)
    if departments is not None:
        documents = documents.filter(department_id__in=departments)
    return documents.select_related("department", "created_by")


def document_selection(document: ImportedDocument) -> tuple[list[int], dict[int, list[str]]]:
    """The initiatives to create and their corrected communes, from the stored choices."""
    stored = document.choices or {}
    selection, communes = [], {}
    for index in range(len(document.result.get("initiatives", []))):
        choice = stored.get(str(index))
        if choice is None:
            selection.append(index)
        elif choice["include"]:
            selection.append(index)
            communes[index] = choice["communes"]
    return selection, communes


def document_edits(document: ImportedDocument) -> dict[int, dict]:
    """The moderator's title, actor and "keep the names" of each initiative, from the
    stored choices (only those given)."""
    edits = {}
    for key, choice in (document.choices or {}).items():
        edit = {k: choice[k] for k in ("title", "actor", "keep_names") if choice.get(k)}
        if edit:
            edits[int(key)] = edit
    return edits
