"""The delivery ledger: one row per recipient, each address served at most once."""

import socket

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from solidaire.bulletins.mailing import bulletin_deliveries, send_bulletin
from solidaire.bulletins.models import DeliveryKind, PressContact, Subscriber, SubscriberStatus
from solidaire.bulletins.services import bulletin_create_draft, bulletin_publish
from solidaire.outbox.models import Delivery, DeliveryStatus
from solidaire.outbox.sending import Recipient, deliveries_enqueue, delivery_counts
from tests.bulletins.factories import confirmed
from tests.bulletins.smtp_sink import smtp_sink
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

READERS = [f"lecteur{i}@exemple.test" for i in range(1, 5)]
PRESS = "redaction@lavoix.test"


@pytest.fixture
def audience(series):
    for email in READERS:
        Subscriber.objects.create(series=series, email=email, status=SubscriberStatus.CONFIRMED)
    Subscriber.objects.create(series=series, email="attente@exemple.test")  # not confirmed
    PressContact.objects.create(series=series, name="La Voix", email=PRESS)
    return series


@pytest.fixture
def draft(audience):
    return bulletin_create_draft(series=audience, initiatives=[make_initiative(title="Masques")])


def smtp_to(sink):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=sink.port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    )


def test_publishing_with_send_writes_one_row_per_recipient_and_mails_each_once(
    draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(bulletin=draft, send=True)
    rows = list(bulletin_deliveries(draft).order_by("address"))
    assert sorted(r.address for r in rows) == sorted([*READERS, PRESS])
    assert {r.address: r.kind for r in rows}[PRESS] == DeliveryKind.PRESS
    assert {r.status for r in rows} == {DeliveryStatus.SENT}
    assert all(r.attempts == 1 and r.message_id.startswith("<") for r in rows)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([*READERS, PRESS])
    # The Message-ID recorded is the one the message carried.
    by_address = {m.to[0]: m.extra_headers["Message-ID"] for m in mail.outbox}
    assert all(by_address[r.address] == r.message_id for r in rows)


def test_enqueueing_or_sending_twice_mails_nobody_twice(draft):
    bulletin_publish(bulletin=draft, send=False)
    assert not Delivery.objects.exists() and not mail.outbox  # "Publier sans envoyer"
    first = send_bulletin(draft)
    second = send_bulletin(draft)
    assert (first.sent, second.sent) == (5, 0)
    assert len(mail.outbox) == 5
    again = deliveries_enqueue(
        batch=f"bulletin:{draft.pk}",
        builder="bulletin",
        recipients=[Recipient(address=READERS[0].upper(), kind="subscriber")],
    )
    assert again == 0 and Delivery.objects.count() == 5


def test_a_new_subscriber_is_served_by_a_later_send_and_only_them(draft):
    bulletin_publish(bulletin=draft, send=False)
    send_bulletin(draft)
    mail.outbox.clear()
    Subscriber.objects.create(
        series=draft.series, email="nouvelle@exemple.test", status=SubscriberStatus.CONFIRMED
    )
    assert send_bulletin(draft).sent == 1
    assert [m.to for m in mail.outbox] == [["nouvelle@exemple.test"]]


def test_an_unreachable_server_defers_every_row_with_its_error(draft):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nobody listens there
    bulletin_publish(bulletin=draft, send=False)
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=2,
    ):
        counts = send_bulletin(draft)
    assert (counts.sent, counts.failed, counts.pending) == (0, 0, 5)
    rows = bulletin_deliveries(draft)
    # A server down is a temporary failure: tried again later, never counted as sent.
    assert {r.status for r in rows} == {DeliveryStatus.PENDING}
    assert all("Connection" in r.last_error and r.next_attempt_at for r in rows)


def test_resend_to_failures_serves_exactly_the_refused_recipients(
    client, editor, draft, django_capture_on_commit_callbacks
):
    """Two of five addresses refused at send time; once accepted, only those two get it."""
    refused = [READERS[1], PRESS]
    client.force_login(editor)
    with smtp_sink(refused=refused) as sink, smtp_to(sink):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("bulletins:publish", args=[draft.pk]), confirmed(draft, send=True))
        assert sorted(sink.received) == sorted(set(READERS + [PRESS]) - set(refused))
        failed = bulletin_deliveries(draft).filter(status=DeliveryStatus.FAILED)
        assert sorted(failed.values_list("address", flat=True)) == sorted(refused)
        assert all("550" in row.last_error for row in failed)
        page = client.get(draft.get_compose_url()).content.decode()
        assert "3 envoyés" in page and "2 en échec" in page and "Renvoyer aux échecs" in page

        sink.received.clear()
        sink.refused.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("bulletins:resend", args=[draft.pk]))
        assert sorted(sink.received) == sorted(refused)

        sink.received.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("bulletins:resend", args=[draft.pk]), follow=True)
        assert sink.received == []
        assert "rien à renvoyer" in response.content.decode()
    counts = delivery_counts(bulletin_deliveries(draft))
    assert (counts.sent, counts.failed, counts.pending) == (5, 0, 0)
    assert sorted(
        Delivery.objects.filter(address__in=refused).values_list("attempts", flat=True)
    ) == [2, 2]


def test_resend_after_an_outage_tries_the_deferred_rows_at_once(
    client, editor, draft, django_capture_on_commit_callbacks
):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bulletin_publish(bulletin=draft, send=False)
    with smtp_to(type("Down", (), {"port": port})):
        send_bulletin(draft)  # the server is down: every row waits for its next try
    assert delivery_counts(bulletin_deliveries(draft)).pending == 5
    client.force_login(editor)
    with (
        smtp_sink(port=port) as sink,
        smtp_to(sink),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("bulletins:resend", args=[draft.pk]))
    assert sorted(sink.received) == sorted([*READERS, PRESS])
    assert len(set(sink.message_ids)) == 5
