from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from solidaire.typography import french_message


@task()
def send_invitation(invitation_id: int) -> bool:
    from .models import Invitation

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return False
    link = settings.SITE_ROOT + reverse("accounts:invitation", args=[invitation.token])
    body = render_to_string(
        "accounts/email/invitation.txt",
        {"invitation": invitation, "link": link, "site": settings.SITE_TITLE},
    )
    message = EmailMessage(f"Invitation — {settings.SITE_TITLE}", body, to=[invitation.email])
    french_message(message).send()
    return True
