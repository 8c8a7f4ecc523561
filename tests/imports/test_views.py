"""/gestion/imports/: upload or paste, review the highlighted text, create the drafts."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from solidaire.imports.models import DocumentStatus, ImportedDocument
from solidaire.imports.services import document_analyse
from solidaire.initiatives.models import Initiative, Source
from tests.factories import PASSWORD, make_campaign
from tests.imports.factories import sample_text

UPLOAD = "/gestion/imports/"


@pytest.fixture
def campaign(db):
    return make_campaign()


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def document(campaign):
    document, _ = document_analyse(
        text=sample_text(), name="n06.txt", department="62", campaign=campaign
    )
    return document


def test_it_requires_login(visitor):
    response = visitor.get(UPLOAD)
    assert response.status_code == 302
    assert "/comptes/" in response["Location"] or "login" in response["Location"]


def test_it_refuses_an_anonymous_post(visitor, campaign):
    assert visitor.post(UPLOAD, {"text": "x"}).status_code == 403


def test_it_refuses_an_editor(client, editor):
    assert login(client, editor).get(UPLOAD).status_code == 403


def test_a_moderator_sees_the_form_with_only_their_departements(client, moderator62, campaign):
    response = login(client, moderator62).get(UPLOAD)
    assert response.status_code == 200
    assert list(response.context["form"].fields["department"].queryset) == [
        moderator62.memberships.get().department
    ]


def test_pasting_text_analyses_it_and_shows_the_review(client, moderator62, campaign):
    login(client, moderator62)
    response = client.post(
        UPLOAD, {"text": sample_text(), "department": "62", "campaign": campaign.pk}
    )
    document = ImportedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:review", args=[document.pk])
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="import-box"') == 11
    assert 'class="import-mark import-mark--commune"' in page
    assert "Calaisn" in page and 'title="62193 Calais"' in page
    assert "Légende" in page
    # Private persons are flagged for the moderator.
    assert "Thomas BARRAIL" in page and "import-mark--person" in page


def test_uploading_a_file_works_too(client, moderator62, campaign):
    login(client, moderator62)
    upload = SimpleUploadedFile("n06.txt", sample_text().encode(), content_type="text/plain")
    response = client.post(UPLOAD, {"file": upload, "department": "62", "campaign": campaign.pk})
    assert response.status_code == 302
    assert ImportedDocument.objects.get().file_format == "txt"


def test_a_bad_file_is_explained_on_the_form(client, moderator62, campaign):
    login(client, moderator62)
    upload = SimpleUploadedFile("vide.txt", b"", content_type="text/plain")
    response = client.post(UPLOAD, {"file": upload, "department": "62", "campaign": campaign.pk})
    assert response.status_code == 200
    assert ImportedDocument.objects.count() == 0
    assert "Déposez un fichier ou collez un texte." in response.content.decode() or (
        "vide" in response.content.decode()
    )


def test_it_refuses_a_departement_the_moderator_does_not_hold(client, moderator62, campaign):
    login(client, moderator62)
    response = client.post(
        UPLOAD, {"text": sample_text(), "department": "59", "campaign": campaign.pk}
    )
    assert response.status_code == 200
    assert "Choisissez un de vos départements." in response.content.decode()
    assert ImportedDocument.objects.count() == 0


def test_another_departements_moderator_cannot_see_the_review(client, moderator59, document):
    response = login(client, moderator59).get(reverse("imports:review", args=[document.pk]))
    assert response.status_code == 403


def test_creating_drafts_keeps_only_the_ticked_ones_with_corrected_communes(
    client, moderator62, document
):
    login(client, moderator62)
    data = {}
    for index, item in enumerate(document.result["initiatives"]):
        if index != 4:  # the barber: untick
            data[f"i{index}-include"] = "on"
        data[f"i{index}-communes"] = item["communes"]
    data["i0-communes"] = ["62427", "62498"]  # add Lens to the first one
    response = client.post(reverse("imports:review", args=[document.pk]), data)
    assert response.status_code == 302
    drafts = Initiative.objects.filter(source=Source.IMPORT)
    assert drafts.count() == 10
    first = document.imported_initiatives.get(position=0).initiative
    assert sorted(first.places.values_list("commune_id", flat=True)) == ["62427", "62498"]
    assert not document.imported_initiatives.filter(position=4).exists()
    document.refresh_from_db()
    assert document.status == DocumentStatus.IMPORTED
    # A second submission creates nothing more.
    client.post(reverse("imports:review", args=[document.pk]), data)
    assert Initiative.objects.count() == 10


def test_an_unknown_commune_is_an_error_on_its_box(client, moderator62, document):
    login(client, moderator62)
    data = {"i0-include": "on", "i0-communes": "Zzyzx-sur-Rien"}
    response = client.post(reverse("imports:review", args=[document.pk]), data)
    assert response.status_code == 200
    assert Initiative.objects.count() == 0
    assert "Corrigez les communes" in response.content.decode()


def test_nothing_ticked_creates_nothing(client, moderator62, document):
    login(client, moderator62)
    response = client.post(reverse("imports:review", args=[document.pk]), {"submitted": "1"})
    assert response.status_code == 200
    assert Initiative.objects.count() == 0
    assert "Cochez au moins une initiative" in response.content.decode()


def test_the_same_text_pasted_twice_opens_the_first_analysis(client, moderator62, document):
    login(client, moderator62)
    response = client.post(
        UPLOAD,
        {"text": sample_text() + "\n\n", "department": "62", "campaign": document.campaign.pk},
    )
    assert response["Location"] == reverse("imports:review", args=[document.pk])
    assert ImportedDocument.objects.count() == 1


def test_the_list_shows_only_the_moderators_departements(client, moderator59, document):
    page = login(client, moderator59).get(UPLOAD).content.decode()
    assert "n06.txt" not in page


def test_a_pasted_paragraph_reads_as_french_without_a_dangling_dash(client, moderator62, campaign):
    login(client, moderator62)
    paragraph = (
        "A cet égard, il convient de relever l'initiative de l'entreprise de tatouage, "
        "la « Lanterne noire », basée à Hénin-Beaumont, qui a fait don de gants aux agents "
        "du centre communal d'action social (CCAS) de la commune."
    )
    response = client.post(
        UPLOAD, {"text": paragraph, "department": "62", "campaign": campaign.pk}, follow=True
    )
    html = response.content.decode()
    assert "Porteur\u00a0: " in html
    assert "(company)" not in html and "(Entreprise)" in html
    summary = html.split("<h1>", 1)[1].split("</p>", 1)[0]
    assert "—" not in summary and " ." not in summary


def test_a_refused_import_creates_nothing_and_keeps_the_ticks_and_corrections(
    client, moderator62, document, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError("Indiquez le département de rattachement.")

    monkeypatch.setattr("solidaire.imports.views.document_import", refuse)
    login(client, moderator62)
    data = {"i0-include": "on", "i0-communes": ["62427", "62498"], "submitted": "1"}
    response = client.post(reverse("imports:review", args=[document.pk]), data)
    html = response.content.decode()
    assert "Rien n&#x27;a été créé\u00a0: Indiquez le département de rattachement." in html
    forms = [segment["form"] for segment in response.context["segments"] if segment["box"]]
    assert forms[0]["include"].value() is True
    assert forms[1]["include"].value() is False
    assert [c.pk for c in forms[0].cleaned_data["communes"]] == ["62427", "62498"]
    assert Initiative.objects.count() == 0


def test_an_import_sent_twice_at_once_says_the_first_one_created_them(
    client, moderator62, document, monkeypatch
):
    monkeypatch.setattr("solidaire.imports.views.document_import", lambda **kwargs: [])
    login(client, moderator62)
    response = client.post(
        reverse("imports:review", args=[document.pk]), {"i0-include": "on"}, follow=True
    )
    assert "Ce document était déjà importé" in response.content.decode()


def test_the_review_warns_before_leaving_and_offers_the_button_top_and_bottom(
    client, moderator62, document
):
    html = login(client, moderator62).get(reverse("imports:review", args=[document.pk]))
    html = html.content.decode()
    assert "data-unsaved-warning" in html
    assert html.count(">Créer les initiatives cochées</button>") == 2
