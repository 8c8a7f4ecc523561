"""Two editors publishing at once: exactly one gets n°7 (needs real row locks)."""

import threading

import pytest
from django.db import connection, connections

from solidaire.bulletins.models import Bulletin, BulletinStatus
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
