"""Background work of the outbox itself: sending ledger rows, running scheduled jobs."""

from django_tasks import task

from .models import Delivery
from .scheduling import job_run
from .sending import deliveries_send


@task()
def send_deliveries(delivery_ids: list[int]) -> int:
    """Send the given ledger rows if still due; returns how many left. The worker's pump
    sends whatever a lost or failed kick leaves behind."""
    return deliveries_send(deliveries=Delivery.objects.filter(pk__in=delivery_ids)).sent


@task()
def run_job(name: str) -> bool:
    """Run one scheduled job and record its result (see scheduling.py)."""
    return job_run(name)
