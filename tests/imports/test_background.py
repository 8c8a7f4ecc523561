"""Large documents: analysed by the task queue with their progress; a paginated review."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from solidaire.imports import pipeline, steps
from solidaire.imports.models import DocumentStatus, ImportedDocument
from solidaire.imports.services import ImportFailed, document_analyse, document_import
from solidaire.imports.tasks import analyse_document
from solidaire.initiatives.models import Initiative, Source
from tests.factories import PASSWORD, make_campaign
from tests.imports.factories import sample_text

UPLOAD = "/gestion/imports/"


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def moderator(client, moderator62):
    client.login(username=moderator62.username, password=PASSWORD)
    return moderator62


@pytest.fixture
def small_threshold(settings):
    # The sample bulletin (about 6,500 characters) counts as a large document.
    settings.IMPORT_BACKGROUND_BYTES = 1000


def pending_document(campaign, by=None) -> ImportedDocument:
    document, created = document_analyse(
        text=sample_text(),
        name="n06.txt",
        department="62",
        campaign=campaign,
        by=by,
        background=True,
    )
    assert created and document.status == DocumentStatus.ANALYSING
    return document


def test_a_large_upload_is_queued_shows_its_progress_then_its_review(
    client, moderator, campaign, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            UPLOAD, {"text": sample_text(), "department": "62", "campaign": campaign.pk}
        )
    document = ImportedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:review", args=[document.pk])
    assert document.status == DocumentStatus.ANALYSING
    assert document.result == {} and document.progress == 0
    assert len(callbacks) == 1  # the task, enqueued once the document is committed

    page = client.get(response["Location"]).content.decode()
    assert "Analyse en cours…" in page
    assert f'hx-get="{reverse("imports:progress", args=[document.pk])}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "Initiative 1" not in page
    fragment = client.get(reverse("imports:progress", args=[document.pk]))
    assert "Analyse en cours…" in fragment.content.decode()
    assert "HX-Refresh" not in fragment

    callbacks[0]()  # the immediate backend runs the task now
    document.refresh_from_db()
    assert document.status == DocumentStatus.ANALYSED
    assert document.progress == 100
    assert len(document.result["initiatives"]) == 11
    fragment = client.get(reverse("imports:progress", args=[document.pk]))
    assert fragment["HX-Refresh"] == "true"
    page = client.get(response["Location"]).content.decode()
    assert "Analyse en cours" not in page
    assert "Initiative 1" in page


def test_a_small_upload_is_still_analysed_at_once(client, moderator, campaign):
    client.post(UPLOAD, {"text": sample_text(), "department": "62", "campaign": campaign.pk})
    assert ImportedDocument.objects.get().status == DocumentStatus.ANALYSED


def test_the_task_stores_its_progress_step_by_step(campaign, small_threshold, monkeypatch):
    document = pending_document(campaign)
    seen = []
    group = steps.group_initiatives

    def observed(*args, **kwargs):  # runs after the "places" step, 6th of the steps
        seen.append(
            ImportedDocument.objects.values_list("progress", "progress_step").get(pk=document.pk)
        )
        return group(*args, **kwargs)

    monkeypatch.setattr(steps, "group_initiatives", observed)
    assert analyse_document.call(document.pk) == DocumentStatus.ANALYSED
    places = list(pipeline.STEPS).index("places") + 1
    assert seen == [(round(100 * places / len(pipeline.STEPS)), "Communes et zones")]
    document.refresh_from_db()
    assert (document.progress, document.progress_step) == (100, list(pipeline.STEPS.values())[-1])


def test_a_failing_analysis_shows_a_french_error_and_can_be_dropped_again(
    client, moderator, campaign, small_threshold, monkeypatch
):
    document = pending_document(campaign, by=moderator)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(steps, "group_initiatives", broken)
    assert analyse_document.call(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "a échoué après l'étape « Communes et zones »" in document.error

    response = client.get(reverse("imports:review", args=[document.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Analyse échouée" in page
    assert "a échoué après" in page and "Communes et zones" in page
    assert "boom" not in page
    assert "HX-Refresh" in client.get(reverse("imports:progress", args=[document.pk]))

    # Dropped again, the same text is analysed afresh rather than shown failed for ever.
    monkeypatch.undo()
    again = pending_document(campaign)
    assert not ImportedDocument.objects.filter(pk=document.pk).exists()
    assert analyse_document.call(again.pk) == DocumentStatus.ANALYSED


def test_the_task_ignores_a_document_already_analysed(campaign):
    document, _ = document_analyse(text=sample_text(), name="n06.txt", campaign=campaign)
    assert analyse_document.call(document.pk) == "missing"


@pytest.fixture
def paginated(settings, campaign):
    settings.IMPORT_REVIEW_PAGE_SIZE = 4
    document, _ = document_analyse(
        text=sample_text(), name="n06.txt", department="62", campaign=campaign
    )
    return document


def choices(document, indexes, *, off=(), communes=None):
    data = {"submitted": "1"}
    for index in indexes:
        if index not in off:
            data[f"i{index}-include"] = "on"
        data[f"i{index}-communes"] = (communes or {}).get(
            index, document.result["initiatives"][index]["communes"]
        )
    return data


def test_the_review_is_paginated(client, moderator, paginated):
    url = reverse("imports:review", args=[paginated.pk])
    first = client.get(url).content.decode()
    assert 'id="initiative-4"' in first and 'id="initiative-5"' not in first
    assert 'class="fr-pagination' in first and 'href="?page=2"' in first
    assert "page 1 sur 3" in first
    third = client.get(url + "?page=3").content.decode()
    assert 'id="initiative-9"' in third and 'id="initiative-11"' in third
    assert 'id="initiative-8"' not in third
    assert client.get(url + "?page=zz").status_code == 200  # bad page: the first one


def test_choices_are_saved_per_page_and_the_import_keeps_every_page(client, moderator, paginated):
    url = reverse("imports:review", args=[paginated.pk])
    response = client.post(
        url + "?page=1", {**choices(paginated, range(4), off={1}), "action": "save"}
    )
    assert response.status_code == 302 and response["Location"] == url + "?page=2"
    response = client.post(
        url + "?page=2",
        {
            **choices(paginated, range(4, 8), off={5}, communes={4: ["62427", "62498"]}),
            "action": "save",
        },
    )
    paginated.refresh_from_db()
    assert set(paginated.choices) == {str(i) for i in range(8)}
    assert paginated.choices["1"]["include"] is False  # page 1's choice kept
    assert paginated.choices["5"]["include"] is False
    assert paginated.choices["4"]["communes"] == ["62427", "62498"]

    # Page 1 shown again: its stored choices, not the defaults.
    page = client.get(url + "?page=1")
    forms = {s["index"]: s["form"] for s in page.context["segments"] if s["box"]}
    assert forms[0]["include"].value() is True and forms[1]["include"].value() is False

    # Creating from page 3: pages 1 and 2 as stored, page 3 as posted.
    client.post(url + "?page=3", {**choices(paginated, range(8, 11), off={10}), "action": "import"})
    paginated.refresh_from_db()
    assert paginated.status == DocumentStatus.IMPORTED
    positions = sorted(paginated.imported_initiatives.values_list("position", flat=True))
    assert positions == [0, 2, 3, 4, 6, 7, 8, 9]
    fourth = paginated.imported_initiatives.get(position=4).initiative
    assert sorted(fourth.places.values_list("commune_id", flat=True)) == ["62427", "62498"]
    assert Initiative.objects.filter(source=Source.IMPORT).count() == 8


def test_the_command_path_refuses_a_document_still_analysed(campaign, small_threshold):
    document = pending_document(campaign)
    with pytest.raises(ImportFailed, match="en cours d'analyse"):
        document_analyse(text=sample_text(), name="n06.txt", campaign=campaign)
    with pytest.raises(ValidationError):
        document_import(document=document, campaign=campaign)
    assert not Initiative.objects.exists()
