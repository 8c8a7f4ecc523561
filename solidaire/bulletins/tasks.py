from django_tasks import task

from .models import Bulletin


@task()
def send_bulletin_task(bulletin_id: int) -> int:
    """Send a published number to its ledger rows not yet served; returns how many left."""
    from .mailing import bulletin_deliver

    bulletin = Bulletin.objects.select_related("series").get(pk=bulletin_id)
    return bulletin_deliver(bulletin).sent
