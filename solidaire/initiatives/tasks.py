"""Background work: e-mails to submitters and scheduled archiving (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

SUBJECTS = {
    "received": "Votre initiative a bien été reçue",
    "changes_requested": "Des modifications sont demandées sur votre initiative",
    "rejected": "Votre initiative n'a pas été retenue",
}


@task()
def send_submitter_email(initiative_id: int, kind: str, message: str = "") -> bool:
    """Send the submitter their private link (and the moderator's message, if any)."""
    from .models import Initiative

    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None or not initiative.submitter_email:
        return False
    link = settings.SITE_ROOT + reverse("initiatives:follow", args=[initiative.submitter_token])
    body = render_to_string(
        f"initiatives/email/{kind}.txt",
        {"initiative": initiative, "link": link, "message": message, "site": settings.SITE_TITLE},
    )
    send_mail(
        f"{SUBJECTS[kind]} — {settings.SITE_TITLE}",
        body,
        None,
        [initiative.submitter_email],
    )
    return True


@task()
def archive_ended() -> int:
    """Archive initiatives whose end date is past. Enqueue daily (cron: manage.py archive_ended)."""
    from .services import initiatives_archive_ended

    return initiatives_archive_ended()
