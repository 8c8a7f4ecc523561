"""`/sante/`: what a load balancer or a monitor asks an app server, in a few cheap queries.

JSON, never cached, no personal data (counts and ages only). Each part says whether it is
fine: the database (the primary, through this process's pool), the cache, the task queue
(a worker beat lately, nothing waits too long), the scheduler (the last run of the
scheduled jobs) and, when there is one, the read replica. The answer is 503 when a part
this server needs to serve pages fails (database, cache), naming it under ``failed``; the
queue, the scheduler and the replica are reported without taking the server out of the
load balancer (none of them is this server's fault), unless ``?complet=1`` asks that every
part count, as a monitor does.
"""

import os
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from solidaire.outbox.models import JobRun, WorkerHeartbeat
from solidaire.outbox.registry import registered_jobs
from solidaire.replica import PRIMARY, replica_configured, replica_status

# Parts whose failure takes this server out of the load balancer.
CRITICAL = ("database", "cache")


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def select_one() -> None:
    """One round trip to the primary, through this process's pool when there is one."""
    connection = connections[PRIMARY]
    pool = getattr(connection, "pool", None)
    if pool is None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            connection.close()
            raise
        return
    # Its own, shorter wait than a page's: a health check answers before the balancer
    # gives up on it.
    pool.open()
    with pool.connection(timeout=settings.HEALTH_DB_TIMEOUT) as conn:
        conn.execute("SELECT 1")


def check_database() -> dict:
    started = time.monotonic()
    try:
        select_one()
    except Exception as exc:  # psycopg_pool's PoolTimeout is not a Django DatabaseError
        return {"ok": False, "detail": f"base injoignable ({type(exc).__name__})"}
    return {"ok": True, "ms": _ms(started)}


def check_cache() -> dict:
    started = time.monotonic()
    key = f"sante:{os.getpid()}"
    try:
        cache.set(key, started, 30)
        ok = cache.get(key) == started
    except Exception as exc:
        return {"ok": False, "detail": f"cache injoignable ({type(exc).__name__})"}
    if not ok:
        return {"ok": False, "detail": "cache : valeur écrite non relue"}
    return {"ok": True, "ms": _ms(started)}


def check_queue(now) -> dict:
    alive_since = now - timedelta(seconds=settings.TASKS_STALE_AFTER)
    workers = WorkerHeartbeat.objects.using(PRIMARY).filter(last_seen__gte=alive_since).count()
    oldest = (
        DBTaskResult.objects.using(PRIMARY)
        .ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    waiting_for = round((now - oldest).total_seconds()) if oldest else 0
    result = {
        "ok": workers > 0 and waiting_for <= settings.HEALTH_QUEUE_MAX_WAIT_SECONDS,
        "workers": workers,
        "oldest_waiting_seconds": waiting_for,
    }
    if not workers:
        result["detail"] = "aucun processus de tâches actif"
    elif not result["ok"]:
        result["detail"] = f"une tâche attend depuis {waiting_for} s"
    return result


def check_scheduler(now) -> dict:
    jobs = registered_jobs()
    if not jobs:
        return {"ok": True, "detail": "aucune tâche planifiée"}
    starts = dict(
        JobRun.objects.using(PRIMARY)
        .filter(name__in=[job.name for job in jobs])
        .values_list("name", "last_started")
    )
    late = []
    for job in jobs:
        started = starts.get(job.name)
        limit = job.every + timedelta(seconds=settings.HEALTH_SCHEDULER_GRACE_SECONDS)
        if started is None or now - started > limit:
            late.append(job.name)
    known = [start for start in starts.values() if start]
    result = {
        "ok": not late,
        "last_run_seconds": round((now - max(known)).total_seconds()) if known else None,
    }
    if late:
        result["detail"] = f"tâches planifiées en retard : {', '.join(late)}"
    return result


def check_replica() -> dict:
    state = replica_status()
    result = {"ok": state.usable, "lag_seconds": None if state.lag is None else round(state.lag, 1)}
    if not state.usable:
        result["detail"] = f"réplique {state.reason} : lectures sur la base principale"
    return result


@never_cache
def health(request):
    now = timezone.now()
    checks = {"database": check_database(), "cache": check_cache()}
    if checks["database"]["ok"]:
        try:
            checks["queue"] = check_queue(now)
            checks["scheduler"] = check_scheduler(now)
        except DatabaseError as exc:
            checks["database"] = {"ok": False, "detail": f"base en erreur ({type(exc).__name__})"}
    for part in ("queue", "scheduler"):
        checks.setdefault(part, {"ok": False, "detail": "non vérifié : base injoignable"})
    if replica_configured():
        checks["replica"] = check_replica()
    counted = checks if request.GET.get("complet") == "1" else CRITICAL
    failed = [name for name in counted if not checks[name]["ok"]]
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200, json_dumps_params={"indent": 1})
