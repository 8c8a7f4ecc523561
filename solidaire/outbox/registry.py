"""What other apps plug into the outbox from their AppConfig.ready (no model imported here,
so an app module can import it at load time): scheduled jobs, and message builders.

A scheduled job (see scheduling.py): ``job_register(name=…, label=…, every=…, run=…)``,
``run`` being a function without arguments, idempotent, that returns a short summary.
A builder (see sending.py): ``builder_register(name, build)``, ``build(delivery)``
returning the ``EmailMessage`` of a ledger row written with ``builder=name``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    every: timedelta
    run: Callable[[], object]


_jobs: dict[str, Job] = {}
_builders: dict[str, Callable] = {}


def job_register(*, name: str, label: str, every: timedelta, run: Callable[[], object]) -> None:
    """Register a periodic job; its name is its key in JobRun (once per name)."""
    _jobs[name] = Job(name=name, label=label, every=every, run=run)


def job_unregister(name: str) -> None:
    _jobs.pop(name, None)


def registered_jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def registered_job(name: str) -> Job | None:
    return _jobs.get(name)


def builder_register(name: str, build: Callable) -> None:
    """An app that rebuilds its messages at send time (a bulletin) registers how here."""
    _builders[name] = build


def registered_builder(name: str) -> Callable:
    return _builders[name]
