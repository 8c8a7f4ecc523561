"""The outbox's own scheduled jobs (other apps register theirs from their AppConfig)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .registry import job_register
from .sending import deliveries_forget


def finished_tasks_prune(*, before) -> int:
    """Delete the task rows finished before a moment; returns how many (the one rule for
    RETENTION_TASKS_DAYS, shared with initiatives' retention_purge)."""
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return tasks


def prune_task_results() -> str:
    """Delete finished task rows, long-gone workers and one-off e-mails (a receipt's
    private link, an invitation) older than RETENTION_TASKS_DAYS."""
    limit = timezone.now() - timedelta(days=settings.RETENTION_TASKS_DAYS)
    tasks = finished_tasks_prune(before=limit)
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
