"""The outbox's own scheduled jobs (other apps register theirs from their AppConfig)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .registry import job_register


def prune_task_results() -> str:
    """Delete finished task rows older than TASKS_RESULTS_KEEP_DAYS, and long-gone workers."""
    limit = timezone.now() - timedelta(days=settings.TASKS_RESULTS_KEEP_DAYS)
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=limit).delete()
    workers, _ = WorkerHeartbeat.objects.filter(last_seen__lt=limit).delete()
    return f"{tasks} tâche(s) terminée(s) et {workers} processus effacés"


def register_own_jobs() -> None:
    job_register(
        name="prune_task_results",
        label="Effacer les tâches terminées anciennes",
        every=timedelta(days=1),
        run=prune_task_results,
    )
