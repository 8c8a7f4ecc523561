from django_tasks import task

from .models import Bulletin


@task()
def send_bulletin_task(bulletin_id: int) -> int:
    from .mailing import send_bulletin

    bulletin = Bulletin.objects.select_related("series").get(pk=bulletin_id)
    return send_bulletin(bulletin)
