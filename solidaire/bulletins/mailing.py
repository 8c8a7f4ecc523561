"""The e-mail edition of a number: inline-styled HTML and a plain-text twin, sent through
the e-mail ledger (``outbox/sending.py``): one row per reader in the batch ``bulletin:<pk>``,
the message rebuilt at send time by the ``bulletin`` builder (registered in apps.py)."""

from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from solidaire.outbox.models import Delivery
from solidaire.outbox.sending import (
    DeliveryCounts,
    Recipient,
    deliveries_enqueue,
    deliveries_send,
)

from .models import (
    Bulletin,
    BulletinStatus,
    DeliveryKind,
    PressContact,
    Subscriber,
    SubscriberStatus,
)
from .subscriptions import absolute

BUILDER = "bulletin"


def recipients(bulletin: Bulletin) -> list[Recipient]:
    """Confirmed subscribers, then active press and partner contacts, each address once."""
    series = bulletin.series
    subscribers = Subscriber.objects.filter(series=series, status=SubscriberStatus.CONFIRMED)
    press = PressContact.objects.filter(series=series, is_active=True)
    seen, out = set(), []
    for kind, rows in (
        (DeliveryKind.SUBSCRIBER, subscribers.values_list("email", "unsubscribe_token")),
        (DeliveryKind.PRESS, press.values_list("email", "unsubscribe_token")),
    ):
        for email, token in rows:
            if email.lower() not in seen:
                seen.add(email.lower())
                out.append(Recipient(address=email, kind=kind, params={"token": token}))
    return out


def recipient_counts(bulletin: Bulletin) -> dict[str, int]:
    found = recipients(bulletin)
    return {
        "subscribers": sum(r.kind == DeliveryKind.SUBSCRIBER for r in found),
        "press": sum(r.kind == DeliveryKind.PRESS for r in found),
        "total": len(found),
    }


def _context(bulletin: Bulletin, snapshot: dict, token: str) -> dict:
    return {
        "s": snapshot,
        "web_url": absolute(bulletin.get_absolute_url()),
        "pdf_url": absolute(reverse("bulletins:pdf", args=[bulletin.series.slug, bulletin.number])),
        "unsubscribe_url": absolute(reverse("bulletins:unsubscribe", args=[token or "-"])),
    }


def render_email(bulletin: Bulletin, snapshot: dict, *, token: str = "") -> dict:
    """Subject, text and HTML of the e-mail (the confirmation step previews a draft's)."""
    context = _context(bulletin, snapshot, token)
    return {
        "subject": snapshot["title"],
        "text": render_to_string("bulletins/email/bulletin.txt", context),
        "html": render_to_string("bulletins/email/bulletin.html", context),
        "unsubscribe_url": context["unsubscribe_url"],
    }


def build_message(bulletin: Bulletin, *, to: str, token: str) -> EmailMultiAlternatives:
    email = render_email(bulletin, bulletin.snapshot, token=token)
    message = EmailMultiAlternatives(
        subject=email["subject"],
        body=email["text"],
        to=[to],
        headers={
            "List-Unsubscribe": f"<{email['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(email["html"], "text/html")
    return message


def bulletin_deliveries(bulletin: Bulletin) -> QuerySet:
    """The ledger rows of a number."""
    return Delivery.objects.filter(batch=f"bulletin:{bulletin.pk}")


def build_delivery(delivery: Delivery) -> EmailMultiAlternatives:
    """The ``bulletin`` builder: a ledger row's message, rendered when it leaves."""
    bulletin = Bulletin.objects.select_related("series").get(pk=delivery.params["bulletin"])
    return build_message(bulletin, to=delivery.address, token=delivery.params.get("token", ""))


def bulletin_enqueue_deliveries(bulletin: Bulletin) -> int:
    """One ledger row per current recipient not yet in the ledger of this number."""
    rows = [
        Recipient(
            address=r.address, kind=r.kind, params={"bulletin": bulletin.pk, **(r.params or {})}
        )
        for r in recipients(bulletin)
    ]
    return deliveries_enqueue(batch=f"bulletin:{bulletin.pk}", builder=BUILDER, recipients=rows)


def bulletin_deliver(bulletin: Bulletin) -> DeliveryCounts:
    """Send the number to every row of its ledger that is due (pending, not deferred)."""
    if bulletin.status != BulletinStatus.PUBLISHED:
        raise ValueError("Only a published number can be sent.")
    counts = deliveries_send(deliveries=bulletin_deliveries(bulletin))
    Bulletin.objects.filter(pk=bulletin.pk).update(sent_at=timezone.now())
    return counts


def send_bulletin(bulletin: Bulletin) -> DeliveryCounts:
    """Ledger rows for any new recipient, then send to everyone not yet served."""
    if bulletin.status != BulletinStatus.PUBLISHED:
        raise ValueError("Only a published number can be sent.")
    bulletin_enqueue_deliveries(bulletin)
    return bulletin_deliver(bulletin)
