"""The supervised task worker: django-tasks-db's worker, made to survive.

- Every turn of its loop is guarded: a database outage (OperationalError, InterfaceError)
  or any other error is logged, then waited out with an exponential backoff capped at
  TASKS_BACKOFF_MAX, and the loop carries on. The worker never exits on its own.
- A thread beats (``WorkerHeartbeat``) every few seconds, even while a long task runs.
- A task RUNNING for more than TASKS_STALE_AFTER seconds whose worker stopped beating
  that long is put back to READY (``tasks_recover_stale``), or failed after
  TASKS_MAX_ATTEMPTS claims: a worker killed mid-task loses nothing.
- A task that failed on a database outage is put back with a delay, within the same
  bound on attempts.
- Between tasks, it sends the due rows of the e-mail ledger (retries with backoff) and
  counts the rows a dead sender left "sending" as uncertain.
"""

import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .models import WorkerHeartbeat
from .sending import deliveries_mark_uncertain, deliveries_send_due

logger = logging.getLogger("solidaire.worker")

OUTAGES = (OperationalError, InterfaceError)
STALE_ERROR = "solidaire.outbox.worker.StaleClaim"
TRANSIENT_ERRORS = {
    "django.db.utils.OperationalError",
    "django.db.utils.InterfaceError",
}


def reset_connections(*, broken: bool = False) -> None:
    """Drop an obsolete (or, after an outage, a broken) database connection before a turn.

    Never inside a transaction: a test's, or a caller's that owns the connection.
    """
    if connection.in_atomic_block:
        return
    if broken:
        connection.close()
    else:
        close_old_connections()


def heartbeat(worker_id: str, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"last_seen": now, "pid": os.getpid(), "hostname": socket.gethostname()},
        )


def _give_back(task: DBTaskResult, *, now: datetime, reason: str, delay: timedelta) -> str:
    """READY again, or FAILED once it has been claimed TASKS_MAX_ATTEMPTS times."""
    unchanged = DBTaskResult.objects.filter(
        pk=task.pk, status=task.status, started_at=task.started_at
    )
    if len(task.worker_ids) >= settings.TASKS_MAX_ATTEMPTS:
        unchanged.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=STALE_ERROR,
            traceback=f"{reason} Abandonnée après {len(task.worker_ids)} tentatives.",
        )
        logger.error("Task %s (%s) given up: %s", task.pk, task.task_path, reason)
        return TaskResultStatus.FAILED
    unchanged.update(
        status=TaskResultStatus.READY,
        started_at=None,
        finished_at=None,
        run_after=now + delay,
        exception_class_path="",
        traceback=reason,
    )
    logger.warning("Task %s (%s) queued again: %s", task.pk, task.task_path, reason)
    return TaskResultStatus.READY


def tasks_recover_stale(*, now: datetime | None = None) -> dict[str, int]:
    """Claims whose worker is gone: back to READY (or FAILED past the attempts bound)."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.TASKS_STALE_AFTER)
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=limit).values_list("worker_id", flat=True)
    )
    outcome = {TaskResultStatus.READY: 0, TaskResultStatus.FAILED: 0}
    for task in DBTaskResult.objects.running().filter(started_at__lt=limit):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue  # a long task of a live worker
        reason = "Le processus qui l'exécutait a disparu."
        outcome[_give_back(task, now=now, reason=reason, delay=timedelta(0))] += 1
    return {"requeued": outcome[TaskResultStatus.READY], "failed": outcome[TaskResultStatus.FAILED]}


def tasks_retry_transient(*, now: datetime | None = None) -> int:
    """Tasks failed by a database outage are queued again, within the attempts bound."""
    now = now or timezone.now()
    count = 0
    failed = DBTaskResult.objects.failed().filter(exception_class_path__in=TRANSIENT_ERRORS)
    for task in failed.filter(finished_at__gte=now - timedelta(days=1)):
        if len(task.worker_ids) < settings.TASKS_MAX_ATTEMPTS:
            delay = timedelta(seconds=min(2 ** len(task.worker_ids), settings.TASKS_BACKOFF_MAX))
            _give_back(task, now=now, reason="Base de données indisponible.", delay=delay)
            count += 1
    return count


class Backoff:
    """1 s, 2 s, 4 s… up to ``cap``; reset by a good turn."""

    def __init__(self, cap: float):
        self.cap = cap
        self.failures = 0

    def next_pause(self) -> float:
        self.failures += 1
        return min(2 ** (self.failures - 1), self.cap)

    def reset(self) -> None:
        self.failures = 0


class SupervisedWorker(Worker):
    """db_worker's loop, one guarded turn at a time, plus housekeeping between tasks."""

    housekeeping_every = 5.0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.backoff = Backoff(settings.TASKS_BACKOFF_MAX)
        self._last_housekeeping = 0.0
        self._beating = threading.Event()
        self._orphans = False

    # The heartbeat thread keeps its own connection, and beats through long tasks.
    def _beat_forever(self) -> None:
        pause = max(min(settings.TASKS_STALE_AFTER / 4, 30), 1)
        while self._beating.is_set():
            try:
                heartbeat(self.worker_id)
            except Exception:
                logger.warning("Heartbeat not recorded (database unavailable?)")
                connection.close()
            time.sleep(pause)
        connection.close()

    def start_heartbeat(self) -> None:
        self._beating.set()
        threading.Thread(target=self._beat_forever, daemon=True, name="heartbeat").start()

    def housekeeping(self) -> None:
        if time.monotonic() - self._last_housekeeping < self.housekeeping_every:
            return
        self._last_housekeeping = time.monotonic()
        if self._orphans:
            # Between two tasks, a RUNNING task of ours is one whose end we failed to record.
            for task in DBTaskResult.objects.running():
                if task.worker_ids and task.worker_ids[-1] == self.worker_id:
                    reason = "Son issue n'a pas pu être enregistrée."
                    _give_back(task, now=timezone.now(), reason=reason, delay=timedelta(0))
            self._orphans = False
        # A stop signal during a send waits for its end, as during a task: no row is left
        # "sending" by a graceful stop.
        self.running_task = True
        try:
            self._housekeeping()
        finally:
            self.running_task = False

    def _housekeeping(self) -> None:
        recovered = tasks_recover_stale()
        if any(recovered.values()):
            logger.warning("Stale claims recovered: %s", recovered)
        tasks_retry_transient()
        deliveries_mark_uncertain()
        counts = deliveries_send_due()
        if counts.sent or counts.failed or counts.pending:
            logger.info(
                "E-mails: %s sent, %s deferred, %s failed",
                counts.sent,
                counts.pending,
                counts.failed,
            )

    def claim_one(self) -> DBTaskResult | None:
        """db_worker's claim: the first ready task, locked, marked RUNNING by us."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                return None
        return task_result

    def run(self) -> None:
        logger.info("Supervised worker %s starting", self.worker_id)
        self.start_heartbeat()
        try:
            while self.running:
                try:
                    reset_connections()
                    self.housekeeping()
                    if not self.running:  # stopped during the housekeeping
                        return
                    task_result = self.claim_one()
                    if task_result is not None:
                        self.run_task(task_result)
                    self.backoff.reset()
                except OUTAGES as exc:
                    pause = self.backoff.next_pause()
                    logger.warning("Database unavailable (%s); next try in %ss", exc, pause)
                    reset_connections(broken=True)
                    # A result we could not record leaves our own claim RUNNING.
                    self._orphans = True
                    time.sleep(pause)
                    continue
                except Exception:
                    pause = self.backoff.next_pause()
                    logger.exception("Worker turn failed; next try in %ss", pause)
                    time.sleep(pause)
                    continue
                if task_result is None:
                    if self.batch:
                        return
                    time.sleep(self.interval)
                elif self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
        finally:
            self._beating.clear()
