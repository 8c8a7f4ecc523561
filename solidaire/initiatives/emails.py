"""E-mails to submitters: their private link, and the moderator's message when there is one.

Services call ``submitter_email_enqueue`` inside their transaction: the e-mail is written
to the outbox ledger with the proposal itself, so "Vous allez recevoir un e-mail" is never
a lost promise; it leaves once the transaction commits, and is retried through an SMTP
outage (``outbox/sending.py``).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from solidaire.outbox.sending import delivery_enqueue

from .models import Initiative

# Ledger rows of these e-mails: kind "submitter_received"…
SUBMITTER_EMAIL_KIND = "submitter_"
SUBJECTS = {
    "received": "Votre initiative a bien été reçue",
    "changes_requested": "Des modifications sont demandées sur votre initiative",
    "rejected": "Votre initiative n'a pas été retenue",
}


def submitter_email_enqueue(*, initiative: Initiative, kind: str, message: str = "") -> None:
    """Write the submitter's e-mail to the ledger; it is sent once the transaction commits."""
    if not initiative.submitter_email:
        return
    link = settings.SITE_ROOT + reverse("initiatives:follow", args=[initiative.submitter_token])
    body = render_to_string(
        f"initiatives/email/{kind}.txt",
        {"initiative": initiative, "link": link, "message": message, "site": settings.SITE_TITLE},
    )
    delivery_enqueue(
        address=initiative.submitter_email,
        kind=f"{SUBMITTER_EMAIL_KIND}{kind}",
        subject=f"{SUBJECTS[kind]} — {settings.SITE_TITLE}",
        body=body,
    )


@task()
def send_submitter_email(initiative_id: int, kind: str, message: str = "") -> bool:
    """Tasks queued before the ledger existed: they write their e-mail to it."""
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None or not initiative.submitter_email:
        return False
    submitter_email_enqueue(initiative=initiative, kind=kind, message=message)
    return True
