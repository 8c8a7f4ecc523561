"""What alerts hold of an erased person: the address, its alerts and their e-mails
(registered in initiatives/erasers.py by ready())."""

from django.db.models import Q

from solidaire.initiatives.erasers import Erasure
from solidaire.outbox.sending import deliveries_erase

from .models import Alert, AlertRecipient


def alerts_erase(erasure: Erasure) -> None:
    emails = {email.lower() for email in erasure.needles.emails}
    if not emails:
        return
    by_email = Q(email__in=emails)
    for email in emails:
        by_email |= Q(email__iexact=email)
    recipients = AlertRecipient.objects.filter(by_email)
    erasure.counts["alertes"] += Alert.objects.filter(recipient__in=recipients).count()
    erasure.counts["destinataires d’alertes"] += recipients.delete()[1].get(
        "alerts.AlertRecipient", 0
    )
    # The bulletins' eraser anonymises the same addresses' ledger rows: a second pass finds
    # nothing left, so the count is not doubled.
    erasure.counts["envois d’e-mails"] += deliveries_erase(addresses=emails, scrub=erasure.scrub)
