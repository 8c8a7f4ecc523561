"""The review screen's edits: a title and an actor typed by the moderator, private names
kept only when asked, and the series of the document (as ``import_bulletin --series``)."""

import pytest

from solidaire.imports.services import document_analyse
from solidaire.initiatives.models import Initiative
from tests.bulletins.factories import make_series
from tests.factories import PASSWORD, make_campaign
from tests.imports.factories import sample_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    document, _ = document_analyse(
        text=sample_text(), name="n06.txt", department="62", campaign=make_campaign()
    )
    return document


def fields_of(document, **extra):
    fields = {"action": "import", "submitted": "1", **extra}
    for index, item in enumerate(document.result["initiatives"]):
        fields.setdefault(f"i{index}-include", "on")
        fields[f"i{index}-communes"] = item["communes"]
    return fields


def test_the_typed_title_and_actor_are_the_proposals(client, moderator62, document):
    client.login(username=moderator62.username, password=PASSWORD)
    url = f"/gestion/imports/{document.pk}/"
    page = client.get(url)
    boxes = {s["index"]: s for s in page.context["segments"] if s["box"]}
    # The title found is offered in the field, ready to edit.
    assert boxes[3]["form"]["title"].value() == document.result["initiatives"][3]["title"]
    response = client.post(
        url,
        fields_of(
            document,
            **{
                "i2-title": "Visières imprimées en 3D pour les commerçants d'Arras",
                "i2-actor": "Communauté urbaine d'Arras",
                "i1-keep_names": "on",
            },
        ),
    )
    assert response.status_code == 302
    arras = document.imported_initiatives.get(position=2).initiative
    assert arras.title == "Visières imprimées en 3D pour les commerçants d'Arras"
    assert arras.actor_name == "Communauté urbaine d'Arras"
    assert "BARRAIL" not in arras.description  # names replaced unless kept
    assert "un habitant de Saint-Nicolas" in arras.description
    calais = document.imported_initiatives.get(position=1).initiative
    assert "Antoine et Laurent" in calais.description  # kept, as asked
    aire = document.imported_initiatives.get(position=3).initiative
    assert aire.title == "Confection de masques par des bénévoles à Aire-sur-la-Lys"


def test_the_chosen_series_records_the_number(client, moderator62, document):
    series = make_series(campaign=document.campaign)
    client.login(username=moderator62.username, password=PASSWORD)
    page = client.get(f"/gestion/imports/{document.pk}/")
    assert series in page.context["options"].fields["series"].queryset
    response = client.post(
        f"/gestion/imports/{document.pk}/", fields_of(document, **{"doc-series": series.pk})
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.bulletin.series == series
    assert document.bulletin.number == 6
    assert Initiative.objects.count() == 11


def test_a_title_over_the_limit_is_refused_and_nothing_created(client, moderator62, document):
    client.login(username=moderator62.username, password=PASSWORD)
    response = client.post(
        f"/gestion/imports/{document.pk}/", fields_of(document, **{"i0-title": "x" * 201})
    )
    assert response.status_code == 200
    assert not Initiative.objects.exists()
