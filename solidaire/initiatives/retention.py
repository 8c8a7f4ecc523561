"""How long the platform keeps what it no longer needs (written on the privacy page).

``retention_purge()`` is the daily job (``manage.py retention_purge``, or the
``retention_purge_task`` task for a scheduler): refused and withdrawn proposals are deleted
``RETENTION_CLOSED_DAYS`` after their last change, with their places, quantities, contacts,
history and reports; finished background-task rows after ``RETENTION_TASKS_DAYS``; expired
sessions as soon as they expire.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from solidaire.outbox.jobs import finished_tasks_prune

from .models import Initiative, Status
from .search import search_index_purge

CLOSED = (Status.REJECTED, Status.WITHDRAWN)


@dataclass(frozen=True)
class RetentionCounts:
    proposals: int
    tasks: int


def retention_purge(*, now: datetime | None = None) -> RetentionCounts:
    """Delete what is past its retention period; returns how many of each."""
    now = now or timezone.now()
    closed_before = now - timedelta(days=settings.RETENTION_CLOSED_DAYS)
    tasks_before = now - timedelta(days=settings.RETENTION_TASKS_DAYS)
    with transaction.atomic():
        closed = Initiative.objects.filter(status__in=CLOSED, updated_at__lt=closed_before)
        proposals = closed.count()
        closed.delete()
        tasks = finished_tasks_prune(before=tasks_before)
        if proposals:
            search_index_purge()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return RetentionCounts(proposals=proposals, tasks=tasks)
