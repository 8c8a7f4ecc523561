"""Private links stay private: an idempotency key is bound to its session, token pages are
never cached, and a submitter's link expires a while after its initiative is closed."""

import datetime

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from solidaire.accounts.models import Invitation, Role
from solidaire.bulletins.models import Subscriber
from solidaire.initiatives.models import Initiative, Status, Transition
from tests.bulletins.factories import make_series
from tests.factories import make_initiative
from tests.initiatives.factories import propose_data

URL = "/initiatives/proposer/"
pytestmark = pytest.mark.django_db


def test_a_key_reused_from_another_session_creates_a_new_proposal_and_reveals_nothing():
    first_browser, second_browser = Client(), Client()
    first = propose_data(submitter_name="Camille Première", submitter_email="camille@a.test")
    first_browser.get(URL)
    assert first_browser.post(URL, first).status_code == 302
    stolen = propose_data(
        submission_key=first["submission_key"],
        title="Autre proposition",
        submitter_name="Dominique Seconde",
        submitter_email="dominique@b.test",
    )
    second_browser.get(URL)
    assert second_browser.post(URL, stolen).status_code == 302
    assert Initiative.objects.count() == 2
    done = second_browser.get("/initiatives/proposer/merci/").content.decode()
    mine = Initiative.objects.get(submitter_email="dominique@b.test")
    theirs = Initiative.objects.get(submitter_email="camille@a.test")
    assert mine.submitter_token in done
    assert theirs.submitter_token not in done
    assert "Camille" not in done and "camille@a.test" not in done


def test_the_same_session_sending_its_key_twice_still_creates_one_proposal(client):
    client.get(URL)
    data = propose_data()
    assert [client.post(URL, data).status_code for _ in range(2)] == [302, 302]
    assert Initiative.objects.count() == 1


def test_the_stored_key_is_not_the_key_of_the_page(client):
    data = propose_data()
    client.post(URL, data)
    assert Initiative.objects.get().submission_key != data["submission_key"]


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_private_and_token_pages_are_never_cached(client):
    initiative = make_initiative(status=Status.SUBMITTED)
    subscriber = Subscriber.objects.create(series=make_series(), email="lecteur@exemple.test")
    invitation = Invitation.objects.create(
        email="agent@prefecture.test",
        role=Role.MODERATOR,
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    client.post(URL, propose_data())
    urls = [
        f"/initiatives/suivi/{initiative.submitter_token}/",
        f"/initiatives/suivi/{initiative.submitter_token}/modifier/",
        "/initiatives/proposer/merci/",
        URL,
        # A confirmation link is signed: this one is refused (400), and its page not kept.
        f"/bulletins/abonnement/confirmer/{subscriber.unsubscribe_token}/",
        f"/bulletins/desabonnement/{subscriber.unsubscribe_token}/",
        f"/comptes/invitation/{invitation.token}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (400 if "confirmer" in url else 200), url
        assert _no_store(response), url


def _closed(status, days_ago):
    initiative = make_initiative(status=status)
    transition = Transition.objects.create(
        initiative=initiative, from_status=Status.PUBLISHED, to_status=status
    )
    Transition.objects.filter(pk=transition.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return f"/initiatives/suivi/{initiative.submitter_token}/"


@override_settings(PRIVATE_LINK_TTL_DAYS=30)
@pytest.mark.parametrize("status", [Status.ARCHIVED, Status.REJECTED, Status.WITHDRAWN])
def test_a_private_link_expires_after_its_initiative_is_closed(client, status):
    assert client.get(_closed(status, days_ago=29)).status_code == 200
    expired = client.get(_closed(status, days_ago=31))
    assert expired.status_code == 410
    assert _no_store(expired)
    html = expired.content.decode()
    assert "Lien expiré" in html and "30&nbsp;jours" in html
    link = _closed(status, days_ago=31)
    assert client.post(link + "retirer/").status_code == 410


@override_settings(PRIVATE_LINK_TTL_DAYS=30)
def test_a_private_link_of_a_live_initiative_never_expires(client):
    for status in (Status.SUBMITTED, Status.PUBLISHED, Status.CHANGES_REQUESTED):
        initiative = make_initiative(status=status)
        Initiative.objects.filter(pk=initiative.pk).update(
            updated_at=timezone.now() - datetime.timedelta(days=400)
        )
        assert client.get(f"/initiatives/suivi/{initiative.submitter_token}/").status_code == 200
