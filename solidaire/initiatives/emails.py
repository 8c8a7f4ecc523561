"""E-mails to submitters: their private link, and the moderator's message when there is one.

Services call ``submitter_email_enqueue``; the sending runs in the background (django-tasks)
once the transaction commits, so a mail failure loses nothing.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from solidaire.typography import french_message

from .models import Initiative

SUBJECTS = {
    "received": "Votre initiative a bien été reçue",
    "changes_requested": "Des modifications sont demandées sur votre initiative",
    "rejected": "Votre initiative n'a pas été retenue",
}


@task()
def send_submitter_email(initiative_id: int, kind: str, message: str = "") -> bool:
    """Send the submitter their private link (and the moderator's message, if any)."""
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None or not initiative.submitter_email:
        return False
    link = settings.SITE_ROOT + reverse("initiatives:follow", args=[initiative.submitter_token])
    body = render_to_string(
        f"initiatives/email/{kind}.txt",
        {"initiative": initiative, "link": link, "message": message, "site": settings.SITE_TITLE},
    )
    message = EmailMessage(
        f"{SUBJECTS[kind]} — {settings.SITE_TITLE}", body, to=[initiative.submitter_email]
    )
    french_message(message).send()
    return True


def submitter_email_enqueue(*, initiative: Initiative, kind: str, message: str = "") -> None:
    """E-mail the submitter once the transaction commits; a mail failure loses nothing."""
    if not initiative.submitter_email:
        return

    def enqueue():
        send_submitter_email.enqueue(initiative.pk, kind, message)

    transaction.on_commit(enqueue, robust=True)
