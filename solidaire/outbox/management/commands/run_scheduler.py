import logging
import signal
import time

from django.core.management.base import BaseCommand

from solidaire.outbox.registry import registered_jobs
from solidaire.outbox.scheduling import scheduler_tick
from solidaire.outbox.worker import Backoff, reset_connections

logger = logging.getLogger("solidaire.scheduler")


class Command(BaseCommand):
    help = (
        "Lance le planificateur : met en file les tâches planifiées dues (archivage, purge "
        "des abonnés, nettoyage des tâches…), une fois chacune même après un long arrêt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=60, help="secondes entre deux passages (60)"
        )
        parser.add_argument("--once", action="store_true", help="un seul passage, puis quitter")

    def handle(self, *args, interval, once, **options):
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))
        logger.setLevel(logging.INFO if options["verbosity"] else logging.CRITICAL)
        names = ", ".join(job.name for job in registered_jobs())
        logger.info("Scheduler starting (%s)", names)
        running = {"on": True}

        def stop(signum, frame):
            logger.warning("Received %s: stopping", signal.strsignal(signum))
            running["on"] = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        backoff = Backoff(60)
        while running["on"]:
            pause = interval
            try:
                reset_connections()
                started = scheduler_tick()
                if started:
                    logger.info("Jobs started: %s", ", ".join(started))
                backoff.reset()
            except Exception as exc:
                pause = backoff.next_pause()
                logger.warning("Scheduler turn failed (%s); next try in %ss", exc, pause)
                reset_connections(broken=True)
            if once:
                return
            # Short sleeps, so that a stop signal is honoured quickly.
            deadline = time.monotonic() + pause
            while running["on"] and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
