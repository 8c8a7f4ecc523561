"""Scheduled work (django-tasks); the submitters' e-mails are sent by emails.py."""

from django_tasks import task

from .retention import retention_purge
from .services import initiatives_archive_ended


@task()
def archive_ended() -> int:
    """Archive initiatives whose end date is past. Enqueue daily (cron: manage.py archive_ended)."""
    return initiatives_archive_ended()


@task()
def retention_purge_task() -> dict:
    """Delete what is past its retention period (daily; see retention.py)."""
    counts = retention_purge()
    return {"proposals": counts.proposals, "tasks": counts.tasks}
