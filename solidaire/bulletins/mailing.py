"""The e-mail edition of a number: inline-styled HTML and a plain-text twin."""

from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Bulletin, BulletinStatus, PressContact, Subscriber, SubscriberStatus
from .subscriptions import absolute


def recipients(bulletin: Bulletin) -> list[tuple[str, str]]:
    """(address, unsubscribe token) of confirmed subscribers and active press contacts."""
    series = bulletin.series
    subscribers = Subscriber.objects.filter(series=series, status=SubscriberStatus.CONFIRMED)
    press = PressContact.objects.filter(series=series, is_active=True)
    seen, out = set(), []
    for email, token in [
        *subscribers.values_list("email", "unsubscribe_token"),
        *press.values_list("email", "unsubscribe_token"),
    ]:
        if email.lower() not in seen:
            seen.add(email.lower())
            out.append((email, token))
    return out


def build_message(bulletin: Bulletin, *, to: str, token: str) -> EmailMultiAlternatives:
    snapshot = bulletin.snapshot
    unsubscribe_url = absolute(reverse("bulletins:unsubscribe", args=[token]))
    context = {
        "s": snapshot,
        "web_url": absolute(bulletin.get_absolute_url()),
        "pdf_url": absolute(reverse("bulletins:pdf", args=[bulletin.series.slug, bulletin.number])),
        "unsubscribe_url": unsubscribe_url,
    }
    message = EmailMultiAlternatives(
        subject=snapshot["title"],
        body=render_to_string("bulletins/email/bulletin.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("bulletins/email/bulletin.html", context), "text/html"
    )
    return message


def send_bulletin(bulletin: Bulletin) -> int:
    """Mail the published number to every recipient; returns how many were sent."""
    if bulletin.status != BulletinStatus.PUBLISHED:
        raise ValueError("Only a published number can be sent.")
    messages = [
        build_message(bulletin, to=email, token=token) for email, token in recipients(bulletin)
    ]
    sent = get_connection().send_messages(messages) if messages else 0
    Bulletin.objects.filter(pk=bulletin.pk).update(sent_at=timezone.now())
    return sent or 0
