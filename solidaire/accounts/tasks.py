from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from solidaire.outbox.sending import delivery_enqueue


def invitation_email_enqueue(invitation) -> None:
    """Write the invitation e-mail to the outbox ledger; it leaves once committed."""
    link = settings.SITE_ROOT + reverse("accounts:invitation", args=[invitation.token])
    body = render_to_string(
        "accounts/email/invitation.txt",
        {"invitation": invitation, "link": link, "site": settings.SITE_TITLE},
    )
    delivery_enqueue(
        address=invitation.email,
        kind="invitation",
        subject=f"Invitation — {settings.SITE_TITLE}",
        body=body,
    )


@task()
def send_invitation(invitation_id: int) -> bool:
    """Tasks queued before the ledger existed: they write their e-mail to it."""
    from .models import Invitation

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return False
    invitation_email_enqueue(invitation)
    return True
