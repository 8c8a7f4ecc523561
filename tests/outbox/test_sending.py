"""The e-mail ledger: written before the SMTP call, retried through an outage, each
acknowledged message sent once (counted by Message-ID), refusals shown to staff."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from solidaire.initiatives.emails import submitter_email_enqueue
from solidaire.initiatives.models import Status
from solidaire.initiatives.services import initiatives_purge_personal_data
from solidaire.outbox.models import Delivery, DeliveryStatus
from solidaire.outbox.sending import (
    deliveries_mark_uncertain,
    deliveries_send_due,
    delivery_counts,
    delivery_enqueue,
    delivery_resend,
)
from tests.bulletins.smtp_sink import smtp_sink
from tests.factories import make_initiative
from tests.outbox.conftest import smtp_to

pytestmark = pytest.mark.django_db

SUBMITTERS = [f"deposant{i}@exemple.test" for i in range(1, 6)]


def receipts(capture):
    """Five proposals, each promised a receipt with its private link."""
    initiatives = [
        make_initiative(status=Status.SUBMITTED, submitter_email=address) for address in SUBMITTERS
    ]
    with capture(execute=True):
        for initiative in initiatives:
            submitter_email_enqueue(initiative=initiative, kind="received")
    return initiatives


def test_an_smtp_outage_then_recovery_sends_every_pending_email_exactly_once(
    port, django_capture_on_commit_callbacks
):
    with smtp_to(port):
        receipts(django_capture_on_commit_callbacks)  # the kick finds the server down
        rows = Delivery.objects.order_by("id")
        assert [r.status for r in rows] == [DeliveryStatus.PENDING] * 5
        assert all(r.attempts == 1 and "Connection" in r.last_error for r in rows)
        retry_at = max(r.next_attempt_at for r in rows)
        assert retry_at > timezone.now()

        with smtp_sink(port=port) as sink:
            # Not due yet: the backoff is honoured.
            assert deliveries_send_due().sent == 0 and sink.message_ids == []
            counts = deliveries_send_due(now=retry_at)
            assert counts.sent == 5
            # Later pumps, a staff resend of a sent row, and a second kick change nothing.
            deliveries_send_due(now=retry_at + timedelta(days=1))
            assert delivery_resend(delivery=rows[0]) is False
            deliveries_send_due(now=retry_at + timedelta(days=2))

    assert sorted(sink.received) == sorted(SUBMITTERS)
    assert len(sink.message_ids) == len(set(sink.message_ids)) == 5
    assert set(sink.message_ids) == set(Delivery.objects.values_list("message_id", flat=True))
    assert delivery_counts(Delivery.objects.all()).sent == 5


def test_the_message_id_is_derived_from_the_ledger_row(django_capture_on_commit_callbacks):
    receipts(django_capture_on_commit_callbacks)
    row = Delivery.objects.get(address=SUBMITTERS[0])
    assert row.message_id == f"<delivery-{row.uuid}@example.org>"
    (message,) = [m for m in mail.outbox if m.to == [SUBMITTERS[0]]]
    assert message.extra_headers["Message-ID"] == row.message_id
    assert "/initiatives/suivi/" in message.body


class RecordingBackend:
    """An e-mail backend that looks at the ledger at the moment of the SMTP call."""

    seen: list = []

    def __init__(self, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            row = Delivery.objects.get(message_id=message.extra_headers["Message-ID"])
            RecordingBackend.seen.append((row.address, row.status, row.attempts))
        return len(messages)


def test_the_ledger_row_is_written_and_claimed_before_the_smtp_call(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.outbox.test_sending.RecordingBackend"
    RecordingBackend.seen = []
    with django_capture_on_commit_callbacks(execute=True):
        delivery_enqueue(address="a@exemple.test", kind="test", subject="Objet", body="Texte")
    assert RecordingBackend.seen == [("a@exemple.test", DeliveryStatus.SENDING, 1)]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_refused_address_fails_at_once_and_staff_can_resend_it(
    client, admin_user, django_capture_on_commit_callbacks
):
    refused = SUBMITTERS[1]
    with smtp_sink(refused=[refused]) as sink, smtp_to(sink.port):
        receipts(django_capture_on_commit_callbacks)
        row = Delivery.objects.get(address=refused)
        assert row.status == DeliveryStatus.FAILED and row.attempts == 1
        assert "550" in row.last_error
        # A permanent refusal is not retried by the pump.
        deliveries_send_due(now=timezone.now() + timedelta(days=1))
        assert Delivery.objects.get(pk=row.pk).attempts == 1
        assert refused not in sink.received and len(sink.received) == 4

        client.force_login(admin_user)
        page = client.get(reverse("outbox:status")).content.decode()
        assert refused in page and "Renvoyer" in page
        sink.refused.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("outbox:resend", args=[row.pk]), follow=True)
        assert "renvoyé" in response.content.decode()
    assert sink.received.count(refused) == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2
    assert sink.message_ids.count(row.message_id) == 1


def test_a_temporary_refusal_is_retried_and_a_bounded_time_later_given_up(
    settings, django_capture_on_commit_callbacks
):
    busy = SUBMITTERS[2]
    with smtp_sink(deferred=[busy]) as sink, smtp_to(sink.port):
        receipts(django_capture_on_commit_callbacks)
        row = Delivery.objects.get(address=busy)
        assert row.status == DeliveryStatus.PENDING and "450" in row.last_error
        first_retry = row.next_attempt_at
        deliveries_send_due(now=first_retry)
        row.refresh_from_db()
        assert row.attempts == 2 and row.next_attempt_at - first_retry == timedelta(
            seconds=2 * settings.OUTBOX_RETRY_DELAY
        )
        deliveries_send_due(now=row.give_up_at)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED
    assert row.last_error.startswith("Abandonné après 3 tentatives")
    assert busy not in sink.received


def test_a_row_left_sending_becomes_uncertain_and_is_never_resent_automatically(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        row = delivery_enqueue(address="a@exemple.test", kind="test", subject="O", body="T")
    # A sender claimed it, the server may have accepted it, then the process died.
    claimed = timezone.now() - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT + 1)
    Delivery.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, claimed_at=claimed
    )
    assert deliveries_mark_uncertain() == 1
    assert deliveries_send_due(now=timezone.now() + timedelta(days=3)).sent == 0
    assert mail.outbox == []
    assert delivery_counts(Delivery.objects.all()).uncertain == 1
    # Staff checked: sent again with the same Message-ID.
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_resend(delivery=row)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [row.message_id]


def test_a_row_whose_message_cannot_be_built_fails_with_its_error(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        row = delivery_enqueue(address="a@exemple.test", kind="test", subject="O", body="T")
    Delivery.objects.filter(pk=row.pk).update(builder="bulletin", params={"bulletin": 999999})
    deliveries_send_due()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and "DoesNotExist" in row.last_error


def test_purging_personal_data_forgets_the_emails_sent_to_submitters(
    django_capture_on_commit_callbacks,
):
    receipts(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_enqueue(address="agent@exemple.test", kind="invitation", subject="O", body="T")
    initiatives_purge_personal_data(before=timezone.now() + timedelta(seconds=1))
    assert list(Delivery.objects.values_list("address", flat=True)) == ["agent@exemple.test"]
