import logging
import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from solidaire.outbox.worker import SupervisedWorker


class Command(DbWorkerCommand):
    help = (
        "Lance le processus des tâches de fond (db_worker de django-tasks-db, surveillé) : "
        "il attend les pannes de la base et du serveur SMTP au lieu de s'arrêter, reprend "
        "les tâches d'un processus disparu (TASKS_STALE_AFTER) et envoie les e-mails dus."
    )

    def configure_logging(self, verbosity):
        super().configure_logging(verbosity)
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        # The supervision's own news (outages, recovered claims, e-mails deferred).
        for name in ("solidaire.worker", "solidaire.outbox"):
            own = logging.getLogger(name)
            own.setLevel(level)
            if not own.handlers:
                own.addHandler(logging.StreamHandler(self.stdout))
                own.propagate = False

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        worker = SupervisedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
