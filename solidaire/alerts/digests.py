"""The alert e-mails: one per address and period, listing each of its alerts' news.

A run (a scheduled job per frequency) takes every confirmed alert whose ``sent_until`` is
before the end of the current period, computes what each has to say (``matching.py``),
writes one ledger row per address in the batch ``alerts:<frequency>:<period end>`` and
moves the alerts' ``sent_until`` to that end, all in one transaction. Hence:

- a run repeated, or two at once, sends nothing twice: the alerts are no longer due, and
  the ledger keeps one row per address and batch whatever happens;
- a late run, or the first one after a week's outage, sends one e-mail covering
  everything since the last one, not one per missed period;
- an address refused by the SMTP server ``ALERT_REFUSALS_MAX`` times in a row is
  suspended (recorded on the address, with the server's answer), until it confirms an
  alert again.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from solidaire.bulletins.subscriptions import absolute
from solidaire.initiatives.models import Initiative
from solidaire.initiatives.selectors import with_list_data
from solidaire.lib.dates import format_date
from solidaire.outbox.models import Delivery, DeliveryStatus
from solidaire.outbox.sending import Recipient, deliveries_enqueue
from solidaire.outbox.tasks import send_deliveries

from .matching import CHUNK, alerts_compute
from .models import Alert, AlertFrequency, AlertRecipient
from .services import alerts_purge_pending, manage_url, unsubscribe_url

BUILDER = "alert"
KIND = "alert"
BATCH_PREFIX = "alerts:"
SEND_CHUNK = 500
# A publication's transaction may commit a moment after its published_at: a period is
# served only once it has been over for this long, so no late commit falls behind a
# watermark.
SETTLE = timedelta(minutes=2)


def period_end(frequency: str, now: datetime) -> datetime:
    """The end of the last whole period: the minute (immediate), last midnight (daily),
    last Monday's midnight (weekly), in the site's time zone."""
    if frequency == AlertFrequency.IMMEDIATE:
        return now.replace(second=0, microsecond=0)
    local = timezone.localtime(now)
    midnight = timezone.make_aware(
        datetime(local.year, local.month, local.day), timezone.get_current_timezone()
    )
    if frequency == AlertFrequency.DAILY:
        return midnight
    monday = (local - timedelta(days=local.weekday())).date()
    return timezone.make_aware(
        datetime(monday.year, monday.month, monday.day), timezone.get_current_timezone()
    )


def batch_name(frequency: str, until: datetime) -> str:
    return f"{BATCH_PREFIX}{frequency}:{until.astimezone(UTC):%Y%m%dT%H%M}"


def due_alerts(frequency: str, until: datetime):
    return Alert.objects.filter(
        frequency=frequency,
        confirmed_at__isnull=False,
        sent_until__lt=until,
        recipient__disabled_at__isnull=True,
    )


def alerts_send(frequency: str, *, now: datetime | None = None) -> str:
    """Serve every due alert of ``frequency`` up to the end of the current period."""
    now = now or timezone.now()
    suspended = alerts_disable_refused()
    until = period_end(frequency, now - SETTLE)
    batch = batch_name(frequency, until)
    with transaction.atomic():
        locked = due_alerts(frequency, until).select_for_update(skip_locked=True, of=("self",))
        ids = list(locked.values_list("pk", flat=True))
        # Read by the same condition (no list of 100,000 ids in a query); an alert locked
        # by another run is left to it.
        locked_ids = set(ids)
        found = {
            pk: news
            for pk, news in alerts_compute(due_alerts(frequency, until), until=until).items()
            if pk in locked_ids
        }
        recipients = _recipients(found, until=until)
        written = 0
        for start in range(0, len(recipients), CHUNK):  # statements of a bounded size
            written += deliveries_enqueue(
                batch=batch, builder=BUILDER, recipients=recipients[start : start + CHUNK]
            )
        for start in range(0, len(ids), CHUNK):
            Alert.objects.filter(pk__in=ids[start : start + CHUNK]).update(sent_until=until)
        transaction.on_commit(lambda: _kick(batch), robust=True)
    summary = f"{len(ids)} alerte(s) servie(s), {written} e-mail(s) écrit(s)"
    if suspended:
        summary += f", {suspended} adresse(s) suspendue(s) après des refus"
    return summary


def _kick(batch: str) -> None:
    ids = list(
        Delivery.objects.filter(batch=batch, status=DeliveryStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    for start in range(0, len(ids), SEND_CHUNK):
        send_deliveries.enqueue(ids[start : start + SEND_CHUNK])


def _recipients(found: dict, *, until: datetime) -> list[Recipient]:
    """One recipient per address, with one section per alert that has news."""
    if not found:
        return []
    sections = defaultdict(list)
    ids = sorted(found)
    rows = []
    for start in range(0, len(ids), CHUNK):
        rows += Alert.objects.filter(pk__in=ids[start : start + CHUNK]).values_list(
            "pk", "recipient__email", "sent_until"
        )
    for pk, email, since in rows:
        published, ended = found[pk]
        sections[email].append(
            {"alert": pk, "since": since.isoformat(), "published": published, "ended": ended}
        )
    return [
        Recipient(
            address=email,
            kind=KIND,
            params={"until": until.isoformat(), "sections": sorted(s, key=lambda x: x["alert"])},
        )
        for email, s in sections.items()
    ]


def _refused() -> Q:
    """A failed row the SMTP server refused (for good, or deferred until given up): not a
    digest withdrawn with its alert, nor one that could not be built."""
    return Q(status=DeliveryStatus.FAILED) & (
        Q(last_error__startswith="Refusé par le serveur SMTP")
        | Q(last_error__startswith="SMTPDataError")
        | Q(last_error__startswith="Abandonné après")
    )


def alerts_disable_refused() -> int:
    """Suspend addresses whose last ALERT_REFUSALS_MAX alert e-mails were all refused."""
    limit = settings.ALERT_REFUSALS_MAX
    active = AlertRecipient.objects.filter(disabled_at__isnull=True).values("email")
    refused = set(
        Delivery.objects.filter(_refused(), kind=KIND, address__in=active).values_list(
            "address", flat=True
        )
    )
    count = 0
    for address in sorted(refused):
        last = list(
            Delivery.objects.filter(_refused() | Q(status=DeliveryStatus.SENT), kind=KIND)
            .filter(address=address)
            .order_by("-created_at", "-id")
            .values_list("status", "last_error")[:limit]
        )
        if len(last) == limit and all(status == DeliveryStatus.FAILED for status, _ in last):
            reason = f"{limit} envois refusés de suite ; dernier refus : {last[0][1]}"
            count += AlertRecipient.objects.filter(email=address, disabled_at__isnull=True).update(
                disabled_at=timezone.now(), disabled_reason=reason[:2000]
            )
    return count


def _when(since: datetime) -> str:
    return format_date(timezone.localtime(since).date())


def digest_context(delivery: Delivery) -> dict:
    sections_data = delivery.params["sections"]
    alerts = {
        a.pk: a
        for a in Alert.objects.select_related(
            "recipient", "commune", "epci", "arrondissement", "department"
        ).filter(pk__in=[s["alert"] for s in sections_data])
    }
    ids = {pk for s in sections_data for pk in s["published"] + s["ended"]}
    initiatives = {i.pk: i for i in with_list_data(Initiative.objects.public().filter(pk__in=ids))}
    sections = []
    for data in sections_data:
        alert = alerts.get(data["alert"])
        if alert is None:  # deleted meanwhile: not announced
            continue
        published = [initiatives[pk] for pk in data["published"] if pk in initiatives]
        ended = [initiatives[pk] for pk in data["ended"] if pk in initiatives]
        if published or ended:
            sections.append(
                {
                    "alert": alert,
                    "since": _when(parse_datetime(data["since"])),
                    "published": published,
                    "ended": ended,
                    "unsubscribe_url": unsubscribe_url(alert),
                }
            )
    if not sections:
        raise ValueError("Every alert of this e-mail was deleted before it left.")
    recipient = sections[0]["alert"].recipient
    return {
        "sections": sections,
        "manage_url": manage_url(recipient),
        "site_root": settings.SITE_ROOT,
        "absolute": absolute(""),
    }


def _subject(sections: list) -> str:
    published = sum(len(s["published"]) for s in sections)
    ended = sum(len(s["ended"]) for s in sections)
    parts = []
    if published:
        plural = "s" if published > 1 else ""
        parts.append(f"{published} nouvelle{plural} initiative{plural}")
    if ended:
        parts.append(f"{ended} terminée{'s' if ended > 1 else ''}")
    places = ", ".join(s["alert"].place_label for s in sections)
    return f"Alerte {places} : {' et '.join(parts)}"


def build_delivery(delivery: Delivery) -> EmailMultiAlternatives:
    """The ``alert`` builder: the digest of a ledger row, rendered when it leaves."""
    context = digest_context(delivery)
    sections = context["sections"]
    # One-click unsubscribe (RFC 8058) from the first alert; the others are in the body.
    unsubscribe = sections[0]["unsubscribe_url"]
    message = EmailMultiAlternatives(
        subject=_subject(sections),
        body=render_to_string("alerts/email/digest.txt", context),
        to=[delivery.address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("alerts/email/digest.html", context), "text/html")
    return message


def send_immediate() -> str:
    return alerts_send(AlertFrequency.IMMEDIATE)


def send_daily() -> str:
    return alerts_send(AlertFrequency.DAILY)


def send_weekly() -> str:
    return alerts_send(AlertFrequency.WEEKLY)


def scheduled_jobs():
    """(name, label, every, run) of the alerts' jobs. The daily and weekly ones run every
    hour: a run inside a period already served does nothing."""
    return [
        ("alerts_immediate", "Alertes immédiates", timedelta(minutes=5), send_immediate),
        ("alerts_daily", "Alertes quotidiennes", timedelta(hours=1), send_daily),
        ("alerts_weekly", "Alertes hebdomadaires", timedelta(hours=1), send_weekly),
        (
            "alerts_purge_pending",
            "Effacer les alertes jamais confirmées",
            timedelta(days=1),
            alerts_purge_pending,
        ),
    ]
