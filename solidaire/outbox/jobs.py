"""The outbox's own scheduled jobs (other apps register theirs from their AppConfig)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .registry import job_register
from .sending import deliveries_forget


def prune_task_results() -> str:
    """Delete finished task rows, long-gone workers and one-off e-mails (a receipt's
    private link, an invitation) older than TASKS_RESULTS_KEEP_DAYS."""
    limit = timezone.now() - timedelta(days=settings.TASKS_RESULTS_KEEP_DAYS)
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=limit).delete()
    workers, _ = WorkerHeartbeat.objects.filter(last_seen__lt=limit).delete()
    emails = deliveries_forget(before=limit)
    return f"{tasks} tâche(s) terminée(s), {workers} processus et {emails} e-mail(s) effacés"


def register_own_jobs() -> None:
    job_register(
        name="prune_task_results",
        label="Effacer les tâches terminées anciennes",
        every=timedelta(days=1),
        run=prune_task_results,
    )
