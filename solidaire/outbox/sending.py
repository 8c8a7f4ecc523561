"""The ledger of every e-mail the platform sends: one row per message and recipient.

Callers write the row (``delivery_enqueue`` for one message, ``deliveries_enqueue`` for a
mailing) inside the transaction that promises the e-mail, so a promise is never lost; the
row is then sent by a task kicked once the transaction commits, and by the worker's pump
(``deliveries_send_due``) for anything still due. Each attempt claims the row (pending ->
sending) by a conditional update before the SMTP call, and the Message-ID is fixed when
the row is written (``<delivery-<uuid>@domain>``):

- accepted by the server -> sent (the write is retried through a database outage);
- refused for good (5xx for the recipient or the message) -> failed at once;
- refused for now (4xx, server down, connection lost) -> pending again after a backoff,
  until ``give_up_at``, then failed;
- still "sending" past OUTBOX_SENDING_TIMEOUT -> uncertain: the sender died between the
  SMTP call and the database write. The server may have accepted the message, and no SMTP
  server we can rely on deduplicates by Message-ID, so such a row is never sent again
  automatically: staff check and press "Renvoyer" (same Message-ID) if needed.
"""

import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from .models import Delivery, DeliveryStatus
from .registry import registered_builder

logger = logging.getLogger(__name__)

# Rows a mailing's "Renvoyer aux échecs" serves again; uncertain ones wait for staff.
UNSERVED = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
ERROR_MAX = 2000


@dataclass(frozen=True)
class Recipient:
    address: str
    kind: str
    params: dict | None = None


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int = 0
    failed: int = 0
    pending: int = 0
    uncertain: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.pending + self.uncertain


def message_domain() -> str:
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address.rpartition("@")[2] or "localhost"


def _new_row(**fields) -> Delivery:
    row = Delivery(**fields)
    row.message_id = f"<delivery-{row.uuid}@{message_domain()}>"
    row.give_up_at = timezone.now() + timedelta(seconds=settings.OUTBOX_RETRY_FOR)
    return row


def _kick(ids: list[int]) -> None:
    from .tasks import send_deliveries

    if ids:
        transaction.on_commit(lambda: send_deliveries.enqueue(ids), robust=True)


def delivery_enqueue(
    *,
    address: str,
    kind: str,
    subject: str,
    body: str,
    html: str = "",
    headers: dict | None = None,
) -> Delivery:
    """Write one e-mail to send (in the caller's transaction); it leaves once that commits."""
    row = _new_row(
        address=address.strip(),
        kind=kind,
        subject=subject[:255],
        body=body,
        html=html,
        headers=headers or {},
    )
    row.save()
    _kick([row.pk])
    return row


def deliveries_enqueue(*, batch: str, builder: str, recipients: Iterable[Recipient]) -> int:
    """Write a pending row for every address not yet in ``batch``; returns how many.

    Nothing is kicked: the caller sends the batch (a task of its own) once committed.
    """
    existing = Delivery.objects.filter(batch=batch)
    before = existing.count()
    rows, seen = [], set()
    for recipient in recipients:
        address = recipient.address.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        rows.append(
            _new_row(
                batch=batch,
                builder=builder,
                address=address,
                kind=recipient.kind,
                params=recipient.params or {},
            )
        )
    # The unique (batch, address) row keeps an address already written as it is.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return existing.count() - before


def _message(delivery: Delivery) -> EmailMessage:
    if delivery.builder:
        message = registered_builder(delivery.builder)(delivery)
    else:
        message = EmailMultiAlternatives(
            subject=delivery.subject,
            body=delivery.body,
            to=[delivery.address],
            headers=dict(delivery.headers),
        )
        if delivery.html:
            message.attach_alternative(delivery.html, "text/html")
    message.extra_headers["Message-ID"] = delivery.message_id
    return message


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = "; ".join(
            f"{address}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for address, (code, text) in exc.recipients.items()
        )
        return f"Refusé par le serveur SMTP : {refusals}"[:ERROR_MAX]
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX]


def is_permanent(exc: Exception) -> bool:
    """A 5xx for this recipient or this message: trying again would be refused again.

    A 5xx at connection, greeting or login is the server's or our configuration's
    problem, not the message's: those are tried again, like 4xx and network errors.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the ``attempts``-th failed try: doubled each time, capped."""
    seconds = settings.OUTBOX_RETRY_DELAY * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_DELAY))


def _persist(write: Callable[[], object]) -> None:
    """A write after the server accepted a message: retried through a database outage.

    Giving up leaves the row "sending": it will be counted as uncertain, never resent.
    """
    deadline = time.monotonic() + settings.OUTBOX_SENDING_TIMEOUT / 2
    pause = 0.5
    while True:
        try:
            write()
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            logger.warning("Database unavailable while recording a sent e-mail; retrying")
            connection.close()
            time.sleep(pause)
            pause = min(pause * 2, 10)


def _due(now: datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _temporary_failure(delivery: Delivery, exc: Exception, *, now: datetime, claimed: bool):
    attempts = delivery.attempts + (0 if claimed else 1)
    give_up_at = delivery.give_up_at or (
        delivery.created_at + timedelta(seconds=settings.OUTBOX_RETRY_FOR)
    )
    retry_at = now + retry_delay(attempts)
    error = _describe(exc)
    rows = Delivery.objects.filter(pk=delivery.pk)
    rows = rows.filter(status=DeliveryStatus.SENDING) if claimed else rows.filter(_due(now))
    if retry_at > give_up_at:
        rows.update(
            status=DeliveryStatus.FAILED,
            attempts=attempts,
            last_error=f"Abandonné après {attempts} tentatives : {error}"[:ERROR_MAX],
            updated_at=now,
        )
        logger.error("E-mail %s to %s given up: %s", delivery.pk, delivery.address, error)
        return DeliveryStatus.FAILED
    rows.update(
        status=DeliveryStatus.PENDING,
        attempts=attempts,
        next_attempt_at=retry_at,
        last_error=error,
        updated_at=now,
    )
    logger.warning("E-mail %s to %s deferred: %s", delivery.pk, delivery.address, error)
    return DeliveryStatus.PENDING


def delivery_send(*, delivery: Delivery, connection, now: datetime | None = None):
    """One attempt at one due row; returns its new status (None if it was not due)."""
    now = now or timezone.now()
    claimed = (
        Delivery.objects.filter(_due(now), pk=delivery.pk).update(
            status=DeliveryStatus.SENDING,
            attempts=F("attempts") + 1,
            claimed_at=now,
            updated_at=now,
        )
        == 1
    )
    if not claimed:
        return None
    delivery.refresh_from_db()
    try:
        message = _message(delivery)
    except Exception as exc:  # the message cannot be built (its bulletin is gone…)
        logger.exception("E-mail %s cannot be built", delivery.pk)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error=_describe(exc), updated_at=now
        )
        return DeliveryStatus.FAILED
    try:
        if not connection.send_messages([message]):
            raise smtplib.SMTPRecipientsRefused({delivery.address: (550, "not sent")})
    except (smtplib.SMTPException, OSError) as exc:
        if not isinstance(exc, smtplib.SMTPRecipientsRefused):
            # The session may be broken: the next row opens a new one.
            connection.close()
        if not is_permanent(exc):
            return _temporary_failure(delivery, exc, now=now, claimed=True)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error=_describe(exc), updated_at=now
        )
        logger.warning("E-mail %s refused: %s", delivery.pk, _describe(exc))
        return DeliveryStatus.FAILED
    sent_at = timezone.now()
    _persist(
        lambda: Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, last_error="", sent_at=sent_at, updated_at=sent_at
        )
    )
    return DeliveryStatus.SENT


def deliveries_send(*, deliveries: QuerySet, now: datetime | None = None) -> DeliveryCounts:
    """Try every due row of ``deliveries`` over one SMTP session; counts this run."""
    now = now or timezone.now()
    outcomes = {DeliveryStatus.SENT: 0, DeliveryStatus.FAILED: 0, DeliveryStatus.PENDING: 0}
    due = list(deliveries.filter(_due(now)).order_by("id"))
    if not due:
        return DeliveryCounts()
    smtp = get_connection()
    try:
        # Connect before claiming: a server that is down defers the rows without ever
        # leaving them "sending", so a worker killed meanwhile makes nothing uncertain.
        smtp.open()
    except (smtplib.SMTPException, OSError) as exc:
        for delivery in due:
            status = _temporary_failure(delivery, exc, now=now, claimed=False)
            outcomes[status] += 1
        return DeliveryCounts(
            failed=outcomes[DeliveryStatus.FAILED], pending=outcomes[DeliveryStatus.PENDING]
        )
    try:
        for delivery in due:
            status = delivery_send(delivery=delivery, connection=smtp, now=now)
            if status is not None:
                outcomes[status] += 1
    finally:
        smtp.close()
    return DeliveryCounts(
        sent=outcomes[DeliveryStatus.SENT],
        failed=outcomes[DeliveryStatus.FAILED],
        pending=outcomes[DeliveryStatus.PENDING],
    )


def deliveries_send_due(*, limit: int = 200, now: datetime | None = None) -> DeliveryCounts:
    """The worker's pump: every row due, whoever wrote it (retries, lost kicks)."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")[:limit]
        .values_list("pk", flat=True)
    )
    return deliveries_send(deliveries=Delivery.objects.filter(pk__in=ids), now=now)


def deliveries_mark_uncertain(*, now: datetime | None = None) -> int:
    """Rows left "sending" past the timeout: their sender died mid-send."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)
    count = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=limit).update(
        status=DeliveryStatus.UNCERTAIN,
        last_error=(
            "L'envoi a été interrompu : le serveur a peut-être accepté ce message. "
            "Vérifiez avant de le renvoyer."
        ),
        updated_at=now,
    )
    if count:
        logger.error("%s e-mail(s) left uncertain by a sender that died mid-send", count)
    return count


def deliveries_requeue(*, deliveries: QuerySet, statuses=(DeliveryStatus.FAILED,)) -> list[int]:
    """Staff's "Renvoyer": failed (or uncertain) rows become due again, with a new window;
    rows waiting for their next try are tried now."""
    now = timezone.now()
    deliveries.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=None)
    ids = list(deliveries.filter(status__in=statuses).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids, status__in=statuses).update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=None,
        give_up_at=now + timedelta(seconds=settings.OUTBOX_RETRY_FOR),
        updated_at=now,
    )
    return ids


def delivery_resend(*, delivery: Delivery) -> bool:
    """Send one failed or uncertain row again (same Message-ID), once committed."""
    ids = deliveries_requeue(
        deliveries=Delivery.objects.filter(pk=delivery.pk),
        statuses=(DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN),
    )
    _kick(ids)
    return bool(ids)


def deliveries_forget(*, kind_prefix: str = "", before: datetime) -> int:
    """Delete one-off e-mails (not a mailing's rows, which keep a number from being sent
    twice) written before a date: their address and text are personal data."""
    rows = Delivery.objects.filter(batch="", created_at__lt=before).exclude(
        status=DeliveryStatus.SENDING
    )
    if kind_prefix:
        rows = rows.filter(kind__startswith=kind_prefix)
    deleted, _ = rows.delete()
    return deleted


def delivery_counts(deliveries: QuerySet) -> DeliveryCounts:
    """Sent / failed / pending (a claimed row still in flight counts as pending) / uncertain."""
    by_status = dict(deliveries.values_list("status").annotate(n=Count("id")).order_by())
    return DeliveryCounts(
        sent=by_status.get(DeliveryStatus.SENT, 0),
        failed=by_status.get(DeliveryStatus.FAILED, 0),
        pending=by_status.get(DeliveryStatus.PENDING, 0) + by_status.get(DeliveryStatus.SENDING, 0),
        uncertain=by_status.get(DeliveryStatus.UNCERTAIN, 0),
    )
