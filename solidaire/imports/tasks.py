"""Background work of the import area: large documents are analysed by the task queue."""

from django_tasks import task

from .models import DocumentStatus, ImportedDocument


@task()
def analyse_document(document_id: int) -> str:
    """Analyse a document saved "en cours d'analyse"; returns its status afterwards."""
    from .services import document_analysis_run  # services enqueue this task

    document = ImportedDocument.objects.filter(
        pk=document_id, status=DocumentStatus.ANALYSING
    ).first()
    if document is None:  # deleted, or already analysed by an earlier claim
        return "missing"
    return document_analysis_run(document=document).status
