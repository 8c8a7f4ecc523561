"""The supervised worker: stale claims taken up again, outages waited out, bad tasks
recorded as failed without stopping the loop."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solidaire.outbox import worker as worker_module
from solidaire.outbox.models import Delivery, DeliveryStatus
from solidaire.outbox.sending import delivery_enqueue
from solidaire.outbox.tasks import send_deliveries
from solidaire.outbox.worker import SupervisedWorker, heartbeat, tasks_recover_stale
from tests.outbox import tasks_for_tests
from tests.outbox.tasks_for_tests import record

pytestmark = pytest.mark.django_db

DATABASE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
)


@pytest.fixture(autouse=True)
def database_backend():
    tasks_for_tests.calls.clear()
    with DATABASE_TASKS:
        yield


def make_worker(**options) -> SupervisedWorker:
    defaults = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "vivant",
        "excluded_queue_names": [],
    }
    worker = SupervisedWorker(**{**defaults, **options})
    worker.start_heartbeat = lambda: None  # no thread in tests
    return worker


def claimed_by(worker_id: str, *, minutes_ago: int, beat_minutes_ago: int | None):
    """A task claimed by ``worker_id`` some minutes ago, whose last beat is that old."""
    result = record.enqueue("reçu")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    started = timezone.now() - timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    if beat_minutes_ago is not None:
        heartbeat(worker_id, now=timezone.now() - timedelta(minutes=beat_minutes_ago))
    return DBTaskResult.objects.get(pk=row.pk)


@override_settings(TASKS_STALE_AFTER=600)
def test_a_stale_claim_is_taken_up_again_and_runs_once():
    stale = claimed_by("disparu", minutes_ago=11, beat_minutes_ago=11)
    assert tasks_recover_stale() == {"requeued": 1, "failed": 0}
    assert DBTaskResult.objects.get(pk=stale.pk).status == TaskResultStatus.READY
    make_worker().run()
    done = DBTaskResult.objects.get(pk=stale.pk)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.worker_ids == ["disparu", "vivant"]
    assert tasks_for_tests.calls == ["reçu"]


@override_settings(TASKS_STALE_AFTER=600)
def test_a_long_task_of_a_live_worker_or_a_recent_claim_is_left_alone():
    long_task = claimed_by("occupe", minutes_ago=30, beat_minutes_ago=0)
    recent = claimed_by("disparu", minutes_ago=2, beat_minutes_ago=20)
    assert tasks_recover_stale() == {"requeued": 0, "failed": 0}
    statuses = DBTaskResult.objects.filter(pk__in=[long_task.pk, recent.pk])
    assert set(statuses.values_list("status", flat=True)) == {TaskResultStatus.RUNNING}


@override_settings(TASKS_STALE_AFTER=600, TASKS_MAX_ATTEMPTS=2)
def test_a_task_that_keeps_killing_its_worker_is_failed_after_the_bounded_attempts():
    stale = claimed_by("premier", minutes_ago=11, beat_minutes_ago=None)
    DBTaskResult.objects.filter(pk=stale.pk).update(worker_ids=["premier", "second"])
    assert tasks_recover_stale() == {"requeued": 0, "failed": 1}
    failed = DBTaskResult.objects.get(pk=stale.pk)
    assert failed.status == TaskResultStatus.FAILED
    assert "Abandonnée après 2 tentatives" in failed.traceback
    assert tasks_for_tests.calls == []


def test_a_task_whose_arguments_no_longer_match_is_failed_and_the_worker_carries_on():
    bad = record.enqueue("a", "argument en trop")
    good = record.enqueue("b")
    make_worker().run()
    failed = DBTaskResult.objects.get(pk=bad.id)
    assert failed.status == TaskResultStatus.FAILED and "TypeError" in failed.traceback
    assert DBTaskResult.objects.get(pk=good.id).status == TaskResultStatus.SUCCESSFUL
    assert tasks_for_tests.calls == ["b"]


def test_a_task_whose_function_is_gone_is_failed_and_the_worker_carries_on():
    gone = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="solidaire.nowhere.tasks.vanished",
        backend_name="default",
        run_after=timezone.now(),
    )
    good = record.enqueue("c")
    make_worker().run()
    assert DBTaskResult.objects.get(pk=gone.pk).status == TaskResultStatus.FAILED
    assert DBTaskResult.objects.get(pk=good.id).status == TaskResultStatus.SUCCESSFUL


def test_a_database_outage_is_waited_out_with_backoff_and_never_ends_the_worker(monkeypatch):
    pending = record.enqueue("après la panne")
    worker = make_worker()
    real_claim, outage = worker.claim_one, {"left": 3}

    def claim_during_outage():
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("connection refused")
        return real_claim()

    pauses = []
    worker.claim_one = claim_during_outage
    monkeypatch.setattr(worker_module.time, "sleep", pauses.append)
    worker.run()
    assert pauses == [1, 2, 4]
    assert DBTaskResult.objects.get(pk=pending.id).status == TaskResultStatus.SUCCESSFUL


def test_the_worker_pump_sends_the_emails_a_lost_kick_left_behind(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the kick never leaves
        row = delivery_enqueue(address="a@exemple.test", kind="test", subject="O", body="T")
    assert not DBTaskResult.objects.exists()
    make_worker().run()
    assert Delivery.objects.get(pk=row.pk).status == DeliveryStatus.SENT
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [row.message_id]


def test_a_kick_task_run_after_the_pump_sends_nothing_twice(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = delivery_enqueue(address="b@exemple.test", kind="test", subject="O", body="T")
    kick = DBTaskResult.objects.get(task_path=send_deliveries.module_path)
    make_worker().run()  # the pump sends the row, then the kick finds nothing due
    kick.refresh_from_db()
    assert kick.status == TaskResultStatus.SUCCESSFUL and kick.return_value == 0
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [row.message_id]
