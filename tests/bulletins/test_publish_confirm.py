"""The composer saves what is on screen with every action; publishing asks first."""

import pytest
from django.core import mail
from django.urls import reverse

from solidaire.bulletins.models import (
    Bulletin,
    BulletinStatus,
    PressContact,
    Subscriber,
    SubscriberStatus,
)
from solidaire.bulletins.services import bulletin_create_draft
from solidaire.outbox.models import Delivery
from tests.bulletins.factories import confirmed, screen
from tests.factories import make_initiative, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(series):
    for i in range(3):
        Subscriber.objects.create(
            series=series, email=f"l{i}@exemple.test", status=SubscriberStatus.CONFIRMED
        )
    Subscriber.objects.create(series=series, email="attente@exemple.test")
    PressContact.objects.create(series=series, name="La Voix", email="redaction@lavoix.test")
    PressContact.objects.create(
        series=series, name="Ancien", email="ancien@lavoix.test", is_active=False
    )
    return bulletin_create_draft(
        series=series,
        initiatives=[make_initiative(title="Masques à Arras"), make_initiative(title="Repas")],
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_confirmation_shows_the_number_the_counts_and_the_email(editor_client, draft):
    response = editor_client.get(reverse("bulletins:publish", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Publier le n°6 ?" in html
    assert "<strong>3</strong> abonnés confirmés" in html
    assert "<strong>1</strong> adresse presse et partenaires" in html
    assert "ces 4 adresses" in html
    assert "Objet :</strong> <span data-email-subject>Covid-19" in html
    srcdoc = html.split('srcdoc="', 1)[1].split('"', 1)[0]
    assert srcdoc.startswith("&lt;!DOCTYPE html&gt;") and "Masques à Arras" in srcdoc
    assert "Publier et envoyer" in html and "Publier sans envoyer" in html
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT and not mail.outbox


def test_a_post_without_the_confirmation_step_publishes_nothing(editor_client, draft):
    response = editor_client.post(reverse("bulletins:publish", args=[draft.pk]), {})
    assert response["Location"] == reverse("bulletins:publish", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT and not Delivery.objects.exists()


def test_the_confirmation_of_a_published_number_sends_nothing(
    editor_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("bulletins:publish", args=[draft.pk]), confirmed(draft, send=True)
        )
    assert len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        page = editor_client.get(reverse("bulletins:publish", args=[draft.pk]), follow=True)
        # A double click on "Publier et envoyer": the second post finds it published.
        again = editor_client.post(
            reverse("bulletins:publish", args=[draft.pk]),
            {"send": "1", "version": page.context["bulletin"].version},
            follow=True,
        )
    assert "déjà publié : rien n&#x27;a été envoyé" in page.content.decode()
    assert "rien n&#x27;a été publié ni envoyé une seconde fois" in again.content.decode()
    assert len(mail.outbox) == 4 and Delivery.objects.count() == 4


def test_publish_without_sending_writes_no_ledger(editor_client, draft):
    response = editor_client.post(
        reverse("bulletins:publish", args=[draft.pk]), confirmed(draft, send=False), follow=True
    )
    assert "aucun e-mail n&#x27;a été envoyé" in response.content.decode()
    assert Bulletin.objects.get(pk=draft.pk).is_published
    assert not Delivery.objects.exists() and not mail.outbox


def test_a_number_changed_since_its_confirmation_is_not_published(editor_client, draft):
    answer = confirmed(draft, send=True)
    editor_client.post(
        reverse("bulletins:texts_save", args=[draft.pk]), screen(draft, introduction="Neuf.")
    )
    response = editor_client.post(
        reverse("bulletins:publish", args=[draft.pk]), answer, follow=True
    )
    assert "modifié depuis l&#x27;affichage de la confirmation" in response.content.decode()
    assert Bulletin.objects.get(pk=draft.pk).status == BulletinStatus.DRAFT


def test_saving_a_paragraph_keeps_the_introduction_typed_above(editor_client, draft):
    item = draft.items.first()
    editor_client.post(
        reverse("bulletins:item_save", args=[draft.pk, item.pk]),
        screen(
            draft,
            introduction="Une introduction tapée, pas encore enregistrée.",
            **{f"item-{item.pk}-paragraph": "Paragraphe revu."},
        ),
    )
    draft.refresh_from_db()
    item.refresh_from_db()
    assert draft.introduction == "Une introduction tapée, pas encore enregistrée."
    assert item.paragraph == "Paragraphe revu."


def test_an_invalid_paragraph_refuses_a_move_and_keeps_the_input(editor_client, draft):
    first, second = draft.items.order_by("position")
    response = editor_client.post(
        reverse("bulletins:item_move", args=[draft.pk, second.pk, "up"]),
        screen(draft, introduction="Gardée.", **{f"item-{first.pk}-paragraph": ""}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le paragraphe ne peut pas être vide." in html and "Gardée." in html
    assert list(draft.items.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]
    assert Bulletin.objects.get(pk=draft.pk).introduction == ""


def test_the_second_saver_sees_both_versions_and_keeps_their_input(client, editor, draft):
    other = make_staff("editrice62", editor=["62"])
    page_of_first = screen(draft)
    client.force_login(other)
    client.post(
        reverse("bulletins:texts_save", args=[draft.pk]),
        screen(draft, introduction="Version de l'autre éditrice."),
    )
    client.force_login(editor)
    stale = {**page_of_first, "introduction": "Ma version."}
    response = client.post(reverse("bulletins:texts_save", args=[draft.pk]), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "enregistré par quelqu&#x27;un d&#x27;autre" in html
    assert "Ma version." in html and "Version de l&#x27;autre éditrice." in html
    assert html.count("data-conflict-mine") == 1
    assert Bulletin.objects.get(pk=draft.pk).introduction == "Version de l'autre éditrice."
    # The page now carries the saved version: saving again deliberately wins.
    again = client.post(
        reverse("bulletins:texts_save", args=[draft.pk]),
        {**stale, "version": response.context["texts_form"]["version"].value()},
    )
    assert again.status_code == 302
    assert Bulletin.objects.get(pk=draft.pk).introduction == "Ma version."
