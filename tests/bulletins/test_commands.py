import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from solidaire.bulletins.models import Bulletin, BulletinStatus, Subscriber, SubscriberStatus
from solidaire.initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_demo_bulletins_publishes_n6_once_from_the_demo_initiatives(db):
    assert "publié" in run("load_demo_bulletins")
    assert "déjà là" in run("load_demo_bulletins")
    bulletin = Bulletin.objects.get()
    assert (bulletin.series.slug, bulletin.number, str(bulletin.issue_date)) == (
        "pas-de-calais-solidaire",
        6,
        "2020-04-24",
    )
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert bulletin.items.count() == Initiative.objects.count() == 11
    assert bulletin.snapshot["dateline"] == "Arras, le 24 avril 2020"
    assert [s["heading"] for s in bulletin.snapshot["sections"]] == [
        "Solidaires dans l'approvisionnement et la production de matériel de protection",
        "Solidaires avec les personnels soignants",
        "Solidaires avec les personnes confinées",
    ]
    assert "réserve civique" not in bulletin.snapshot["introduction"]
    assert "https://covid19.reserve-civique.gouv.fr/" in bulletin.snapshot["calls_to_action"]
    assert not mail.outbox  # the demo sends nothing


def test_load_demo_bulletins_reuses_the_initiatives_of_load_demo(db):
    run("load_demo")
    before = Initiative.objects.count()
    run("load_demo_bulletins")
    assert Initiative.objects.count() == before
    assert Bulletin.objects.get().items.count() == 11


def test_send_bulletin_mails_confirmed_subscribers(demo):
    bulletin, _ = demo
    Subscriber.objects.create(
        series=bulletin.series, email="lectrice@exemple.test", status=SubscriberStatus.CONFIRMED
    )
    assert "1 e-mail(s) envoyé(s)" in run("send_bulletin", "pas-de-calais-solidaire", "6")
    assert mail.outbox[0].to == ["lectrice@exemple.test"]


def test_send_bulletin_refuses_an_unknown_number(demo):
    with pytest.raises(CommandError, match="Aucun n°9 publié"):
        run("send_bulletin", "pas-de-calais-solidaire", "9")


def test_purge_subscribers_needs_a_scope(db):
    with pytest.raises(CommandError, match="Précisez"):
        run("purge_subscribers")
