"""Two editors publishing at once: exactly one gets n°7; two senders of one number at once
mail each address once (needs real row locks)."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from solidaire.bulletins.mailing import bulletin_deliver, bulletin_enqueue_deliveries
from solidaire.bulletins.models import Bulletin, BulletinStatus, Subscriber, SubscriberStatus
from solidaire.bulletins.services import BulletinError, bulletin_create_draft, bulletin_publish
from tests.bulletins.factories import make_series
from tests.factories import make_initiative

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write transaction: no concurrent publication to race",
    ),
]


def test_two_concurrent_publications_cannot_both_get_the_same_number():
    series = make_series(first_number=6)
    bulletin_publish(
        bulletin=bulletin_create_draft(series=series, initiatives=[make_initiative()]),
        send=False,
    )
    drafts = [
        bulletin_create_draft(series=series, initiatives=[make_initiative(title=f"Brouillon {i}")])
        for i in range(2)
    ]
    assert [d.number for d in drafts] == [7, 7]

    barrier = threading.Barrier(2)
    outcomes = {}

    def publish(draft):
        try:
            barrier.wait(timeout=10)
            bulletin_publish(bulletin=draft, send=False)
            outcomes[draft.pk] = "published"
        except BulletinError as exc:
            outcomes[draft.pk] = exc.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values(), key=len) == [
        "published",
        "Le n°7 existe déjà dans cette série. Le brouillon devient le n°8 : "
        "relisez l'aperçu puis publiez à nouveau.",
    ]
    published = Bulletin.objects.filter(series=series, status=BulletinStatus.PUBLISHED)
    assert sorted(published.values_list("number", flat=True)) == [6, 7]
    loser = Bulletin.objects.get(status=BulletinStatus.DRAFT)
    assert loser.number == 8


def test_two_senders_of_one_number_at_once_mail_each_address_once():
    series = make_series(first_number=6)
    bulletin = bulletin_publish(
        bulletin=bulletin_create_draft(series=series, initiatives=[make_initiative()]),
        send=False,
    )
    addresses = [f"l{i}@exemple.test" for i in range(8)]
    for email in addresses:
        Subscriber.objects.create(series=series, email=email, status=SubscriberStatus.CONFIRMED)
    bulletin_enqueue_deliveries(bulletin)
    mail.outbox = []
    barrier = threading.Barrier(2)

    def deliver():
        try:
            barrier.wait(timeout=10)
            bulletin_deliver(Bulletin.objects.select_related("series").get(pk=bulletin.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(addresses)
