"""The alert pages: subscribe, confirm (a button, not the link), manage, bad input."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from solidaire.alerts.models import Alert, AlertRecipient, AlertScope
from tests.factories import make_theme
from tests.test_typography_everywhere import html_violations

pytestmark = pytest.mark.django_db

NEW = "/alertes/"


def link_in(message, pattern):
    match = re.search(rf"https?://\S*{pattern}\S*/", message.body)
    assert match, message.body
    return urlsplit(match.group()).path


def text(response) -> str:
    """The page as read: entities decoded, typographic apostrophes as typed."""
    return html.unescape(response.content.decode()).replace("\u2019", "'")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(**data):
        fields = {"scope": "commune", "frequency": "daily", "distance": "10", **data}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(NEW, fields)

    return send


def test_the_subscription_round_trip(client, post):
    response = post(email="Lecteur@Exemple.test", commune="62193")
    assert response.status_code == 200
    assert "Presque terminé" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["lecteur@exemple.test"]
    assert message.subject.startswith("Confirmez votre alerte")
    confirm = link_in(message, "/alertes/confirmer/")
    # Following the link (a mail scanner) changes nothing.
    page = client.get(confirm)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert Alert.objects.get().confirmed_at is None
    assert client.post(confirm).status_code == 200
    alert = Alert.objects.get()
    assert alert.confirmed_at is not None and alert.sent_until == alert.confirmed_at
    assert client.post(confirm).status_code == 400  # used twice: a message, no change
    manage = client.get(f"/alertes/gerer/{alert.recipient.manage_token}/")
    assert "Calais (62)" in manage.content.decode()


def test_the_form_is_prefilled_from_a_place_and_a_theme(client):
    theme = make_theme(name="Personnes âgées")
    page = client.get(NEW, {"epci": "246200729", "theme": theme.slug}).content.decode()
    assert "CA du Boulonnais" in page
    assert 'value="epci" checked' in page.replace('checked=""', "checked") or re.search(
        r'value="epci"[^>]*checked', page
    )
    assert re.search(rf'value="{theme.pk}"[^>]*checked', page)
    page = client.get(NEW, {"commune": "62193", "distance": "15"}).content.decode()
    assert re.search(r'value="near"[^>]*checked', page)


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"scope": "epci", "area": "999999999"},
            "Territoire inconnu\u00a0: «\u00a0999999999\u00a0»",
        ),
        ({"scope": "department", "area": "XX"}, "n'est pas le code d'un département"),
        ({"scope": "commune", "commune": "Zzzzvillezz"}, ""),
        ({"scope": "commune"}, "Indiquez la commune de l'alerte."),
        ({"scope": "epci"}, "Indiquez le code du territoire"),
        ({"scope": "moon", "commune": "62193"}, "Zone inconnue."),
    ],
)
def test_it_refuses_an_unknown_place_in_french(post, data, message):
    response = post(email="lecteur@exemple.test", **data)
    assert response.status_code == 400
    assert message in text(response)
    assert not Alert.objects.exists() and mail.outbox == []


def test_it_refuses_a_tampered_or_unknown_token(client, post):
    post(email="lecteur@exemple.test", scope="near", commune="62193", distance="15")
    confirm = link_in(mail.outbox[0], "/alertes/confirmer/")
    tampered = confirm[:-3] + ("A" if confirm[-3] != "A" else "B") + confirm[-2:]
    response = client.post(tampered)
    assert response.status_code == 400
    assert "n'est pas valide" in text(response)
    assert Alert.objects.get().confirmed_at is None
    assert client.get("/alertes/gerer/inconnu/").status_code == 404
    assert client.get("/alertes/supprimer/inconnu/").status_code == 404
    assert client.post("/alertes/supprimer/inconnu/").status_code == 200


def test_deleting_all_alerts_forgets_the_address(client, post):
    post(email="lecteur@exemple.test", commune="62193")
    post(email="lecteur@exemple.test", scope="department", area="62")
    recipient = AlertRecipient.objects.get()
    assert recipient.alerts.count() == 2
    assert set(recipient.alerts.values_list("scope", flat=True)) == {
        AlertScope.COMMUNE,
        AlertScope.DEPARTMENT,
    }
    response = client.post(f"/alertes/gerer/{recipient.manage_token}/tout-supprimer/")
    assert response.status_code == 200
    assert not AlertRecipient.objects.exists() and not Alert.objects.exists()


def test_token_pages_follow_french_typography(client, post):
    post(email="lecteur@exemple.test", commune="62193")
    alert = Alert.objects.get()
    confirm = link_in(mail.outbox[0], "/alertes/confirmer/")
    pages = [
        client.get(confirm),
        client.post(confirm),
        client.get(f"/alertes/gerer/{alert.recipient.manage_token}/"),
        client.get(f"/alertes/supprimer/{alert.unsubscribe_token}/"),
        client.post(f"/alertes/supprimer/{alert.unsubscribe_token}/"),
    ]
    for response in pages:
        assert response.status_code == 200
        assert html_violations(response.content.decode()) == []
