"""The platform's scheduler: one registry of periodic jobs, one loop, the database as memory.

Apps register their jobs from ``AppConfig.ready`` (``job_register``), like the mentions of
``initiatives/mentions.py``: a job is a function without arguments, idempotent, that
returns a short summary. ``manage.py run_scheduler`` calls ``scheduler_tick`` every
minute; a job is due when its last start is older than its period. It is claimed by a
conditional update of its ``JobRun`` row (the last start read must still be there), so:

- a job missed for a week is due once: its single claim moves the last start to now;
- two schedulers started by mistake claim each run once between them;
- a job that raises is recorded (``last_error``) and logged; the loop carries on.

The claimed run is enqueued as a django-task (``outbox.tasks.run_job``), so it runs in the
worker, which survives outages; the tests' immediate backend runs it at once.

Why not APScheduler: its job stores keep no "last run" per job that two processes could
share without a lock of ours, and catch-up-once plus one-run-per-period is what the
conditional update above gives in a few lines.
"""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import JobRun
from .registry import Job, registered_job, registered_jobs

logger = logging.getLogger(__name__)
RESULT_MAX = 2000


def _state(name: str) -> JobRun:
    try:
        with transaction.atomic():
            return JobRun.objects.get_or_create(name=name)[0]
    except IntegrityError:  # created by another scheduler at the same moment
        return JobRun.objects.get(name=name)


def job_is_due(job: Job, state: JobRun, now: datetime) -> bool:
    return state.last_started is None or state.last_started + job.every <= now


def job_claim(job: Job, *, seen: datetime | None, now: datetime) -> bool:
    """Move the last start from ``seen`` (what we read) to ``now``; False if someone did."""
    previous = Q(last_started__isnull=True) if seen is None else Q(last_started=seen)
    return JobRun.objects.filter(previous, name=job.name).update(last_started=now) == 1


def job_run(name: str) -> bool:
    """Run a claimed job and record its outcome; a job that raises does not propagate."""
    job = registered_job(name)
    if job is None:
        JobRun.objects.filter(name=name).update(
            last_finished=timezone.now(), last_error=f"Tâche planifiée inconnue : {name}"
        )
        logger.error("Unknown scheduled job %s", name)
        return False
    try:
        result = job.run()
    except Exception as exc:
        logger.exception("Scheduled job %s failed", name)
        JobRun.objects.filter(name=name).update(
            last_finished=timezone.now(), last_error=f"{type(exc).__name__}: {exc}"[:RESULT_MAX]
        )
        return False
    JobRun.objects.filter(name=name).update(
        last_finished=timezone.now(), last_result=str(result)[:RESULT_MAX], last_error=""
    )
    logger.info("Scheduled job %s: %s", name, result)
    return True


def scheduler_tick(*, now: datetime | None = None) -> list[str]:
    """Claim and enqueue every due job; returns the names this tick started."""
    from .tasks import run_job

    now = now or timezone.now()
    started = []
    for job in registered_jobs():
        state = _state(job.name)
        if not job_is_due(job, state, now):
            continue
        if not job_claim(job, seen=state.last_started, now=now):
            logger.info("Job %s already started by another scheduler", job.name)
            continue
        started.append(job.name)
        try:
            run_job.enqueue(job.name)
        except Exception as exc:  # the queue is unreachable: the claim says so to staff
            logger.exception("Scheduled job %s could not be enqueued", job.name)
            JobRun.objects.filter(name=job.name).update(
                last_error=f"Mise en file impossible : {type(exc).__name__}: {exc}"[:RESULT_MAX]
            )
    return started
