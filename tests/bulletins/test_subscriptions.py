import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from solidaire.bulletins.models import PressContact, Subscriber, SubscriberStatus
from solidaire.bulletins.services import bulletin_create_draft, bulletin_publish
from solidaire.bulletins.subscriptions import CONFIRM_MAX_AGE
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/bulletins/pas-de-calais-solidaire/abonnement/"


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    """POST the form; the confirmation e-mail leaves once the request's writes commit."""

    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SUBSCRIBE, {"email": email})

    return post


def link_in(message, pattern):
    match = re.search(rf"https?://\S*{pattern}\S*/", message.body)
    assert match, message.body
    return urlsplit(match.group()).path


def test_the_subscription_round_trip(series, client, subscribe, django_capture_on_commit_callbacks):
    response = subscribe("Lectrice@Exemple.test")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lectrice@exemple.test"]
    confirm_url = link_in(mail.outbox[0], "/bulletins/abonnement/confirmer/")

    assert client.get(confirm_url).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED

    make_initiative(title="Visières", contacts=[("url", "https://example.org/v")])
    draft = bulletin_create_draft(series=series)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(bulletin=draft)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lectrice@exemple.test"]
    assert message.subject == "Covid-19 : le Pas-de-Calais solidaire n°6"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'style="' in html and "https://example.org/v" in html
    assert "Plus d'information : https://example.org/v" in message.body
    unsubscribe_url = link_in(message, "/bulletins/desabonnement/")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe_url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # One click from the mail client: a POST without any CSRF token.
    response = client.post(unsubscribe_url)
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_press_contacts_receive_each_number_with_their_own_unsubscribe_link(series):
    PressContact.objects.create(series=series, name="La Voix", email="redaction@lavoix.test")
    Subscriber.objects.create(series=series, email="attente@exemple.test")  # not confirmed
    make_initiative()
    bulletin = bulletin_publish(bulletin=bulletin_create_draft(series=series), send=False)
    call_command("send_bulletin", "pas-de-calais-solidaire", "6", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["redaction@lavoix.test"]]
    token = PressContact.objects.get().unsubscribe_token
    assert token in mail.outbox[0].extra_headers["List-Unsubscribe"]
    assert bulletin.pk


def test_it_refuses_an_invalid_address(series, client):
    response = client.post(SUBSCRIBE, {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert "adresse e-mail n&#x27;est pas valide" in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


def test_it_refuses_an_already_confirmed_address_without_duplicating_it(series, client):
    Subscriber.objects.create(
        series=series, email="deja@exemple.test", status=SubscriberStatus.CONFIRMED
    )
    response = client.post(SUBSCRIBE, {"email": "deja@exemple.test"})
    assert response.status_code == 400
    assert "déjà abonnée" in response.content.decode()
    assert Subscriber.objects.count() == 1 and not mail.outbox


def test_subscribing_twice_before_confirming_sends_a_new_link_but_keeps_one_row(series, subscribe):
    subscribe("a@exemple.test")
    subscribe("a@exemple.test")
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 2


def test_an_expired_confirmation_link_is_refused(series, client, subscribe, monkeypatch):
    subscribe("lent@exemple.test")
    url = link_in(mail.outbox[0], "/bulletins/abonnement/confirmer/")
    later = timezone.now() + CONFIRM_MAX_AGE + timedelta(hours=1)
    monkeypatch.setattr("time.time", lambda: later.timestamp())
    response = client.get(url)
    assert response.status_code == 400
    assert "a expiré" in response.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_a_confirmation_link_works_once_and_a_forged_one_never(series, client, subscribe):
    subscribe("x@exemple.test")
    url = link_in(mail.outbox[0], "/bulletins/abonnement/confirmer/")
    assert client.get(url).status_code == 200
    again = client.get(url)
    assert again.status_code == 400 and "déjà confirmé" in again.content.decode()
    forged = client.get("/bulletins/abonnement/confirmer/abc:def/")
    assert forged.status_code == 400 and "n&#x27;est pas valide" in forged.content.decode()


def test_an_unknown_unsubscribe_link_says_so(series, client):
    assert client.get("/bulletins/desabonnement/inconnu/").status_code == 404
    assert "plus valide" in client.post("/bulletins/desabonnement/inconnu/").content.decode()


def test_subscriber_addresses_are_purgeable(series):
    Subscriber.objects.create(series=series, email="a@exemple.test")
    old = Subscriber.objects.create(series=series, email="vieux@exemple.test")
    Subscriber.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    Subscriber.objects.create(
        series=series, email="b@exemple.test", status=SubscriberStatus.CONFIRMED
    )
    call_command("purge_subscribers", "--pending-days", "7", stdout=io.StringIO())
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "a@exemple.test",
        "b@exemple.test",
    }
    call_command("purge_subscribers", "--email", "B@exemple.test", stdout=io.StringIO())
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["a@exemple.test"]
    call_command("purge_subscribers", "--all", stdout=io.StringIO())
    assert not Subscriber.objects.exists()


def test_subscriber_addresses_never_appear_on_public_pages(demo, client):
    bulletin, _ = demo
    Subscriber.objects.create(
        series=bulletin.series, email="secret@exemple.test", status=SubscriberStatus.CONFIRMED
    )
    for url in [
        "/bulletins/",
        "/bulletins/pas-de-calais-solidaire/",
        bulletin.get_absolute_url(),
        "/flux/bulletins/pas-de-calais-solidaire/rss/",
    ]:
        assert "secret@exemple.test" not in client.get(url).content.decode()
