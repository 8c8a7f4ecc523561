"""The scheduler: a job missed for a week runs once, two schedulers run it once, a job
that raises is recorded and the others carry on."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solidaire.outbox.jobs import prune_task_results
from solidaire.outbox.models import JobRun
from solidaire.outbox.registry import job_register, job_unregister, registered_job
from solidaire.outbox.scheduling import _state, job_claim, scheduler_tick

pytestmark = pytest.mark.django_db

DAILY = timedelta(days=1)


@pytest.fixture
def counting_job():
    runs = []
    job_register(name="test_count", label="Compter", every=DAILY, run=lambda: runs.append(1))
    yield runs
    job_unregister("test_count")


@pytest.fixture
def failing_job():
    def explode():
        raise RuntimeError("base des adresses injoignable")

    job_register(name="test_explode", label="Exploser", every=DAILY, run=explode)
    yield
    job_unregister("test_explode")


def test_the_platform_jobs_are_registered_in_one_place():
    for name in ("archive_ended", "purge_pending_subscribers", "prune_task_results"):
        assert registered_job(name) is not None


def test_a_job_missed_for_a_week_runs_once(counting_job):
    now = timezone.now()
    JobRun.objects.create(name="test_count", last_started=now - timedelta(days=7))
    for minutes in (0, 1, 5, 60, 23 * 60):
        scheduler_tick(now=now + timedelta(minutes=minutes))
    assert counting_job == [1]
    run = JobRun.objects.get(name="test_count")
    assert run.last_started == now and run.last_finished is not None and run.last_error == ""
    # The next period runs it again, once.
    scheduler_tick(now=now + DAILY)
    scheduler_tick(now=now + DAILY + timedelta(minutes=1))
    assert counting_job == [1, 1]


def test_a_job_never_run_runs_at_the_first_tick(counting_job):
    assert "test_count" in scheduler_tick()
    assert counting_job == [1]


def test_two_schedulers_started_twice_run_a_due_job_once(counting_job):
    now = timezone.now()
    JobRun.objects.create(name="test_count", last_started=now - timedelta(days=2))
    # Both read the same state, then both try to claim the run.
    first, second = _state("test_count"), _state("test_count")
    job = registered_job("test_count")
    assert job_claim(job, seen=first.last_started, now=now) is True
    assert job_claim(job, seen=second.last_started, now=now + timedelta(seconds=1)) is False
    # Two ticks at once: one starts it.
    started = scheduler_tick(now=now + DAILY) + scheduler_tick(now=now + DAILY)
    assert started.count("test_count") == 1 and counting_job == [1]


def test_a_job_that_raises_is_recorded_and_the_others_carry_on(counting_job, failing_job):
    started = scheduler_tick()
    assert {"test_count", "test_explode"} <= set(started)
    failed = JobRun.objects.get(name="test_explode")
    assert "RuntimeError: base des adresses injoignable" in failed.last_error
    assert failed.last_finished is not None
    assert counting_job == [1]


def test_staff_see_each_job_last_run_and_result(client, admin_user, failing_job):
    scheduler_tick()
    client.force_login(admin_user)
    page = client.get("/gestion/travaux/").content.decode()
    assert "Archiver les initiatives terminées" in page
    assert "initiative(s) archivée(s)" in page
    assert "base des adresses injoignable" in page


def test_the_scheduler_command_runs_one_pass():
    call_command("run_scheduler", "--once", verbosity=0)
    assert set(JobRun.objects.values_list("name", flat=True)) >= {
        "archive_ended",
        "purge_pending_subscribers",
        "prune_task_results",
    }


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@override_settings(TASKS_RESULTS_KEEP_DAYS=30)
def test_pruning_deletes_old_finished_tasks_only():
    old = timezone.now() - timedelta(days=31)
    rows = {
        status: DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="tests.outbox.tasks_for_tests.record",
            backend_name="default",
            run_after=old,
            status=status,
            finished_at=old if status != TaskResultStatus.READY else None,
        )
        for status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED, TaskResultStatus.READY)
    }
    recent = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.outbox.tasks_for_tests.record",
        backend_name="default",
        run_after=old,
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=timezone.now(),
    )
    assert prune_task_results().startswith("2 tâche(s)")
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {rows[TaskResultStatus.READY].pk, recent.pk}
