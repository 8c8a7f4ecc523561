"""What the staff page of background work reads: tasks, workers, e-mails, jobs."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Delivery, DeliveryStatus, JobRun, WorkerHeartbeat
from .registry import Job, registered_jobs
from .sending import DeliveryCounts, delivery_counts

LIST_MAX = 50


@dataclass(frozen=True)
class TaskCounts:
    ready: int
    running: int
    stale: int
    failed: int
    successful: int
    oldest_ready: datetime | None


@dataclass(frozen=True)
class JobView:
    job: Job
    run: JobRun | None

    @property
    def period(self) -> str:
        hours = int(self.job.every.total_seconds() // 3600)
        return "chaque jour" if hours == 24 else f"toutes les {hours} h"


def _stale_limit(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.TASKS_STALE_AFTER)


def task_counts(*, now: datetime | None = None) -> TaskCounts:
    now = now or timezone.now()
    by_status = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
    return TaskCounts(
        ready=by_status.get(TaskResultStatus.READY, 0),
        running=by_status.get(TaskResultStatus.RUNNING, 0),
        stale=DBTaskResult.objects.running().filter(started_at__lt=_stale_limit(now)).count(),
        failed=by_status.get(TaskResultStatus.FAILED, 0),
        successful=by_status.get(TaskResultStatus.SUCCESSFUL, 0),
        oldest_ready=DBTaskResult.objects.ready().aggregate(m=Min("enqueued_at"))["m"],
    )


def tasks_failed():
    return DBTaskResult.objects.failed().order_by("-finished_at")[:LIST_MAX]


def tasks_running():
    return DBTaskResult.objects.running().order_by("started_at")[:LIST_MAX]


def workers(*, now: datetime | None = None) -> list[tuple[WorkerHeartbeat, bool]]:
    """Each worker seen in the last day, and whether it is alive."""
    now = now or timezone.now()
    rows = WorkerHeartbeat.objects.filter(last_seen__gte=now - timedelta(days=1))
    return [(row, row.last_seen >= _stale_limit(now)) for row in rows.order_by("-last_seen")]


def email_counts() -> DeliveryCounts:
    return delivery_counts(Delivery.objects.all())


def emails_to_check():
    """Failed and uncertain e-mails, newest first: what staff may send again."""
    statuses = (DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN)
    return Delivery.objects.filter(status__in=statuses).order_by("-updated_at")[:LIST_MAX]


def emails_waiting():
    """Pending e-mails, the next attempt first (retries after an outage)."""
    waiting = Delivery.objects.filter(status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING))
    return waiting.order_by("next_attempt_at", "id")[:LIST_MAX]


def jobs() -> list[JobView]:
    runs = {run.name: run for run in JobRun.objects.all()}
    return [JobView(job=job, run=runs.get(job.name)) for job in registered_jobs()]
