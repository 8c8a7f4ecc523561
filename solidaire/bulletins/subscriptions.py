"""Double opt-in subscriptions: a signed, expiring link confirms the address."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from solidaire.outbox.sending import delivery_enqueue

from .models import BulletinSeries, PressContact, Subscriber, SubscriberStatus

CONFIRM_SALT = "bulletins.subscription"
CONFIRM_MAX_AGE = timedelta(days=3)


class SubscriptionError(Exception):
    """A refusal shown to the reader as is."""


def signed_link_token(data: dict, *, salt: str) -> str:
    """The signed token of a double opt-in link (bulletins, alerts): tamper-proof, dated."""
    return signing.dumps(data, salt=salt)


def signed_link_data(
    token: str, *, salt: str, max_age: timedelta = CONFIRM_MAX_AGE, expired: str, invalid: str
) -> dict:
    """The data of a token from ``signed_link_token``; SubscriptionError(expired/invalid)."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise SubscriptionError(expired) from exc
    except signing.BadSignature as exc:
        raise SubscriptionError(invalid) from exc


def confirmation_token(subscriber: Subscriber) -> str:
    return signed_link_token({"id": subscriber.pk, "email": subscriber.email}, salt=CONFIRM_SALT)


def absolute(path: str) -> str:
    return settings.SITE_ROOT + path


def _send_confirmation(subscriber: Subscriber) -> None:
    url = absolute(reverse("bulletins:confirm", args=[confirmation_token(subscriber)]))
    context = {
        "series": subscriber.series,
        "url": url,
        "days": CONFIRM_MAX_AGE.days,
    }
    delivery_enqueue(
        address=subscriber.email,
        kind="subscription_confirm",
        subject=f"Confirmez votre abonnement à « {subscriber.series.title} »",
        body=render_to_string("bulletins/email/confirm.txt", context),
    )


def subscriber_subscribe(*, series: BulletinSeries, email: str) -> Subscriber:
    """Record a pending subscription and mail its confirmation link.

    An address waiting for confirmation gets a new link (no second row); a confirmed one
    is refused with a clear message.
    """
    email = email.strip().lower()
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.get_or_create(series=series, email=email)
    except IntegrityError:  # the same address posted twice at once
        subscriber, created = Subscriber.objects.get(series=series, email=email), False
    if not created and subscriber.status == SubscriberStatus.CONFIRMED:
        raise SubscriptionError("Cette adresse est déjà abonnée à ce bulletin.")
    _send_confirmation(subscriber)
    return subscriber


def subscriber_confirm(*, token: str) -> Subscriber:
    data = signed_link_data(
        token,
        salt=CONFIRM_SALT,
        expired="Ce lien de confirmation a expiré : abonnez-vous à nouveau depuis la page du bulletin.",
        invalid="Ce lien de confirmation n'est pas valide.",
    )
    subscriber = Subscriber.objects.filter(pk=data["id"], email=data["email"]).first()
    if subscriber is None:
        raise SubscriptionError(
            "Cet abonnement n'existe plus : abonnez-vous à nouveau depuis la page du bulletin."
        )
    if subscriber.status == SubscriberStatus.CONFIRMED:
        raise SubscriptionError("Cet abonnement est déjà confirmé.")
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber


def recipient_for_token(token: str) -> Subscriber | PressContact | None:
    return (
        Subscriber.objects.filter(unsubscribe_token=token).select_related("series").first()
        or PressContact.objects.filter(unsubscribe_token=token, is_active=True)
        .select_related("series")
        .first()
    )


def unsubscribe(*, token: str) -> BulletinSeries | None:
    """Forget a subscriber's address (or stop a press contact). None if the link is unknown."""
    recipient = recipient_for_token(token)
    if recipient is None:
        return None
    if isinstance(recipient, Subscriber):
        recipient.delete()
    else:
        recipient.is_active = False
        recipient.save(update_fields=["is_active"])
    return recipient.series


def subscribers_purge(
    *, series: BulletinSeries | None = None, email: str = "", pending_older_than=None
) -> int:
    """Delete subscriber addresses: one address, a whole series, or stale pending ones."""
    qs = Subscriber.objects.all()
    if series is not None:
        qs = qs.filter(series=series)
    if email:
        qs = qs.filter(email=email.strip().lower())
    if pending_older_than is not None:
        qs = qs.filter(
            status=SubscriberStatus.PENDING,
            created_at__lt=timezone.now() - pending_older_than,
        )
    deleted, _ = qs.delete()
    return deleted


def purge_expired_pending() -> str:
    """The scheduled purge: pending addresses whose confirmation link has expired."""
    deleted = subscribers_purge(pending_older_than=CONFIRM_MAX_AGE)
    return f"{deleted} abonnement(s) non confirmé(s) effacé(s)"
