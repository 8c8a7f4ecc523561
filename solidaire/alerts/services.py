"""Subscribing to alerts, double opt-in (bulletins' signed links), unsubscribing.

Every new alert is confirmed from the address itself, even for an address that already
has confirmed ones: anyone can type anyone's address.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from solidaire.bulletins.subscriptions import (
    CONFIRM_MAX_AGE,
    SubscriptionError,
    absolute,
    signed_link_data,
    signed_link_token,
)
from solidaire.outbox.models import Delivery, DeliveryStatus
from solidaire.outbox.sending import delivery_enqueue
from solidaire.territory.models import Arrondissement, Commune, Department, Epci

from .models import Alert, AlertRecipient, AlertScope

CONFIRM_SALT = "alerts.subscription"
# Re-exported: views catch one error type for every refusal.
AlertError = SubscriptionError


@dataclass(frozen=True)
class AlertPlace:
    scope: str
    commune: Commune | None = None
    epci: Epci | None = None
    arrondissement: Arrondissement | None = None
    department: Department | None = None
    distance_km: int | None = None


def confirmation_token(alert: Alert) -> str:
    return signed_link_token({"id": alert.pk, "email": alert.recipient.email}, salt=CONFIRM_SALT)


def manage_url(recipient: AlertRecipient) -> str:
    return absolute(reverse("alerts:manage", args=[recipient.manage_token]))


def unsubscribe_url(alert: Alert) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[alert.unsubscribe_token]))


def _recipient(email: str) -> AlertRecipient:
    try:
        with transaction.atomic():
            return AlertRecipient.objects.get_or_create(email=email)[0]
    except IntegrityError:  # the same address posted twice at once
        return AlertRecipient.objects.get(email=email)


def alert_subscribe(*, email: str, place: AlertPlace, themes=(), frequency: str) -> Alert:
    """A pending alert and its confirmation e-mail (in the caller's transaction)."""
    email = email.strip().lower()
    with transaction.atomic():
        recipient = _recipient(email)
        alert = Alert(
            recipient=recipient,
            scope=place.scope,
            commune=place.commune,
            epci=place.epci,
            arrondissement=place.arrondissement,
            department=place.department,
            distance_km=place.distance_km if place.scope == AlertScope.NEAR else None,
            frequency=frequency,
        )
        alert.full_clean()
        alert.save()
        alert.themes.set(themes)
        url = absolute(reverse("alerts:confirm", args=[confirmation_token(alert)]))
        delivery_enqueue(
            address=email,
            kind="alert_confirm",
            subject=f"Confirmez votre alerte : initiatives {_place_phrase(alert)}",
            body=render_to_string(
                "alerts/email/confirm.txt",
                {
                    "alert": alert,
                    "url": url,
                    "days": CONFIRM_MAX_AGE.days,
                    "themes": list(alert.themes.all()),
                },
            ),
        )
    return alert


def _place_phrase(alert: Alert) -> str:
    if alert.scope == AlertScope.NEAR:
        return alert.place_label
    if alert.scope == AlertScope.COMMUNE:
        return f"à {alert.commune.name}"
    return f"sur le territoire : {alert.place_label}"


def alert_for_confirmation(*, token: str) -> Alert:
    """The alert a confirmation link names; AlertError with a French message otherwise."""
    data = signed_link_data(
        token,
        salt=CONFIRM_SALT,
        expired="Ce lien de confirmation a expiré : demandez l'alerte à nouveau.",
        invalid="Ce lien de confirmation n'est pas valide.",
    )
    alert = (
        Alert.objects.select_related("recipient", "commune", "epci", "arrondissement", "department")
        .filter(pk=data.get("id"), recipient__email=data.get("email"))
        .first()
    )
    if alert is None:
        raise AlertError("Cette alerte n'existe plus : demandez-la à nouveau.")
    return alert


def alert_confirm(*, token: str) -> Alert:
    """Confirm (once): the alert serves what happens from now on; a suspended address
    that confirms again is served again."""
    alert = alert_for_confirmation(token=token)
    if alert.confirmed_at is not None:
        raise AlertError("Cette alerte est déjà confirmée.")
    now = timezone.now()
    with transaction.atomic():
        Alert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, sent_until=now
        )
        AlertRecipient.objects.filter(pk=alert.recipient_id).update(
            disabled_at=None, disabled_reason=""
        )
    alert.refresh_from_db()
    return alert


def _forget_pending(alert_ids) -> None:
    """Digests written but not yet sent leave with their alert."""
    for pk in alert_ids:
        Delivery.objects.filter(
            batch__startswith=f"alert:{pk}:", status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.FAILED, last_error="Alerte supprimée avant l'envoi")


def _forget_recipient_if_empty(recipient_id: int) -> None:
    AlertRecipient.objects.filter(pk=recipient_id, alerts__isnull=True).delete()


def alert_unsubscribe(*, token: str) -> Alert | None:
    """Delete one alert (its address too when it was the last); None if the link is unknown."""
    alert = Alert.objects.select_related("recipient").filter(unsubscribe_token=token).first()
    if alert is None:
        return None
    with transaction.atomic():
        _forget_pending([alert.pk])
        alert.delete()
        _forget_recipient_if_empty(alert.recipient_id)
    return alert


def recipient_unsubscribe_all(*, recipient: AlertRecipient) -> int:
    with transaction.atomic():
        ids = list(recipient.alerts.values_list("pk", flat=True))
        _forget_pending(ids)
        recipient.delete()
    return len(ids)


def alerts_purge_pending() -> str:
    """The scheduled purge: alerts never confirmed whose link has expired, and addresses
    left without alerts."""
    limit = timezone.now() - CONFIRM_MAX_AGE
    _, per_model = Alert.objects.filter(confirmed_at__isnull=True, created_at__lt=limit).delete()
    deleted = per_model.get("alerts.Alert", 0)
    AlertRecipient.objects.filter(alerts__isnull=True, created_at__lt=limit).delete()
    return f"{deleted} alerte(s) non confirmée(s) effacée(s)"
