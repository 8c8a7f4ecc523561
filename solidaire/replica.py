"""Public reads from a read replica, everything else from the primary.

With DATABASE_REPLICA_URL set, the settings add a ``replica`` database, this router and
:class:`PrimaryPinMiddleware`. Only a public request's reads may go to the replica: a GET
or HEAD outside the staff and account areas, from a client that has not written lately.
A request that writes (any POST, PUT, PATCH or DELETE) is answered from the primary, and
its client gets a short-lived cookie (REPLICA_PIN_SECONDS) that keeps its next reads on
the primary too: a proposer sees their own proposal at once, before it has reached the
replica. Background processes (worker, scheduler, commands) never use the replica.

The replica is probed at most once every REPLICA_CHECK_SECONDS per process (a connection
and its lag). Down, or lagging more than REPLICA_MAX_LAG_SECONDS behind, it is left aside
and reads fall back to the primary, and probed again every REPLICA_RETRY_SECONDS; the
change is logged once each way (``solidaire.replica``). Between a replica's failure and
the next probe, a request may still be sent to it and fail.
"""

import contextvars
import logging
import threading
import time
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger("solidaire.replica")

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "ts_primaire"
# Tables read around every request but written by it: always from the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "admin", "contenttypes"})
# Areas where someone is signed in and expects to see their own writes; the health check,
# which checks the primary.
PRIMARY_PATHS = ("/gestion/", "/admin/", "/comptes/", "/sante/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Per request: True when its reads may go to the replica.
_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_allowed", default=False
)

# The replica's lag in seconds when streaming has caught up with what it received is 0;
# otherwise the age of the last replayed transaction (also when the primary is unreachable
# from the replica: no WAL receiver).
LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE "
    "WHEN (SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming') > 0 "
    "AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass
class ReplicaState:
    usable: bool = True
    checked_at: float = float("-inf")
    reason: str = ""
    lag: float | None = None


_state = ReplicaState()
_lock = threading.Lock()


def probe_replica() -> float:
    """The replica's lag in seconds; raises DatabaseError when it cannot answer.

    A connection of its own, outside the pool: a replica that refuses connections is
    known at once, rather than after the pool's wait for a connection it cannot open.
    """
    params = connections[REPLICA].get_connection_params()
    try:
        with psycopg.connect(**params) as connection:
            in_recovery, lag = connection.execute(LAG_SQL).fetchone()
    except psycopg.Error as exc:
        raise DatabaseError(str(exc)) from exc
    if not in_recovery:  # promoted, or pointed at a primary: nothing lags
        return 0.0
    return float(lag or 0)


def replica_status(*, force: bool = False) -> ReplicaState:
    """The replica's state, probed at most once every REPLICA_CHECK_SECONDS."""
    now = time.monotonic()
    with _lock:
        # Down or late, it is tried again less often: each try may wait for a timeout.
        every = settings.REPLICA_CHECK_SECONDS if _state.usable else settings.REPLICA_RETRY_SECONDS
        if not force and now - _state.checked_at < every:
            return _state
        _state.checked_at = now
        was_usable = _state.usable
        try:
            lag = probe_replica()
        except DatabaseError as exc:
            _state.usable, _state.lag = False, None
            _state.reason = f"injoignable ({type(exc).__name__})"
        else:
            _state.lag = lag
            _state.usable = lag <= settings.REPLICA_MAX_LAG_SECONDS
            _state.reason = "" if _state.usable else f"en retard de {lag:.0f} s"
        if was_usable and not _state.usable:
            logger.warning("Read replica %s: reads fall back to the primary", _state.reason)
        elif _state.usable and not was_usable:
            logger.warning("Read replica back (lag %.1f s): public reads use it again", lag)
        return _state


def replica_reset() -> None:
    """Forget the last probe (tests, and a process that changed its settings)."""
    with _lock:
        _state.usable, _state.checked_at, _state.reason, _state.lag = True, float("-inf"), "", None


def request_may_use_replica(request) -> bool:
    return (
        request.method in SAFE_METHODS
        and not request.path.startswith(PRIMARY_PATHS)
        and PIN_COOKIE not in request.COOKIES
    )


class ReplicaRouter:
    """Reads of a public request to the replica when it is usable; the rest to the primary."""

    def db_for_read(self, model, **hints):
        if not _replica_allowed.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:  # a transaction reads what it wrote
            return PRIMARY
        return REPLICA if replica_status().usable else PRIMARY

    def db_for_write(self, model, **hints):
        # Whatever this request reads next comes from where it wrote.
        _replica_allowed.set(False)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PrimaryPinMiddleware:
    """Says per request whether reads may use the replica; pins a writer to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_allowed.set(replica_configured() and request_may_use_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if request.method not in SAFE_METHODS and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
