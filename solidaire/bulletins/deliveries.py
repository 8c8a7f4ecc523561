"""The ledger of mass e-mail: one row per recipient, each address served at most once.

This is the platform's one way to send an e-mail to many people. A caller writes the rows
(``deliveries_enqueue``), then sends them (``deliveries_send``) with a function that builds
the message of one row. A row is claimed (pending or failed -> sending) by a conditional
update before its message leaves, so a double click, a retried task or two workers at once
never mail an address twice; a refusal by the SMTP server is recorded on the row as a
failure, to be sent again later by the same call.
"""

import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection, make_msgid
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from .models import Bulletin, Delivery, DeliveryStatus

UNSERVED = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
ERROR_MAX = 2000


@dataclass(frozen=True)
class Recipient:
    address: str
    kind: str
    unsubscribe_token: str = ""


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int = 0
    failed: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.pending


def deliveries_enqueue(*, bulletin: Bulletin, recipients: Iterable[Recipient]) -> int:
    """Write a pending row for every address not yet in the ledger; returns how many."""
    before = bulletin.deliveries.count()
    rows, seen = [], set()
    for recipient in recipients:
        address = recipient.address.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        rows.append(
            Delivery(
                bulletin=bulletin,
                address=address,
                kind=recipient.kind,
                unsubscribe_token=recipient.unsubscribe_token,
            )
        )
    # The unique (bulletin, address) row keeps an address already written as it is.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return bulletin.deliveries.count() - before


def _failure(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = "; ".join(
            f"{address}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for address, (code, text) in exc.recipients.items()
        )
        return f"Refusé par le serveur SMTP : {refusals}"[:ERROR_MAX]
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX]


def delivery_send(*, delivery: Delivery, build: Callable[[Delivery], EmailMessage], connection):
    """Send one row if it is still unserved; returns its new status (None if not claimed)."""
    claimed = Delivery.objects.filter(pk=delivery.pk, status__in=UNSERVED).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return None
    message = build(delivery)
    message_id = make_msgid()
    message.extra_headers["Message-ID"] = message_id
    try:
        if not connection.send_messages([message]):
            raise smtplib.SMTPRecipientsRefused({delivery.address: (550, "not sent")})
    except (smtplib.SMTPException, OSError) as exc:
        if not isinstance(exc, smtplib.SMTPRecipientsRefused):
            # The session may be broken: the next row opens a new one.
            connection.close()
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error=_failure(exc), updated_at=timezone.now()
        )
        return DeliveryStatus.FAILED
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT,
        message_id=message_id,
        last_error="",
        sent_at=now,
        updated_at=now,
    )
    return DeliveryStatus.SENT


def deliveries_send(
    *, deliveries: QuerySet, build: Callable[[Delivery], EmailMessage]
) -> DeliveryCounts:
    """Send every unserved row of ``deliveries`` over one SMTP session; counts this run."""
    outcomes = {DeliveryStatus.SENT: 0, DeliveryStatus.FAILED: 0}
    connection = get_connection()
    try:
        for delivery in deliveries.filter(status__in=UNSERVED).order_by("id"):
            status = delivery_send(delivery=delivery, build=build, connection=connection)
            if status is not None:
                outcomes[status] += 1
    finally:
        connection.close()
    return DeliveryCounts(
        sent=outcomes[DeliveryStatus.SENT], failed=outcomes[DeliveryStatus.FAILED]
    )


def delivery_counts(deliveries: QuerySet) -> DeliveryCounts:
    """Sent / failed / pending (a claimed row still in flight counts as pending)."""
    by_status = dict(deliveries.values_list("status").annotate(n=Count("id")).order_by())
    return DeliveryCounts(
        sent=by_status.get(DeliveryStatus.SENT, 0),
        failed=by_status.get(DeliveryStatus.FAILED, 0),
        pending=by_status.get(DeliveryStatus.PENDING, 0) + by_status.get(DeliveryStatus.SENDING, 0),
    )


def deliveries_erase(*, addresses: Iterable[str], scrub: Callable[[str], str]) -> int:
    """Anonymise the ledger rows of erased addresses (RGPD art. 17); returns how many.

    The rows stay, so the counts of a mailing stay true, but the address becomes a
    placeholder unique per row and the error text is scrubbed of the person.
    """
    addresses = {address.strip().lower() for address in addresses if address.strip()}
    rows = Delivery.objects.filter(address__in=addresses)
    count = 0
    for pk, error in rows.values_list("pk", "last_error"):
        Delivery.objects.filter(pk=pk).update(
            address=f"efface-{pk}@efface.invalid",
            unsubscribe_token="",
            last_error=scrub(error),
            updated_at=timezone.now(),
        )
        count += 1
    return count
