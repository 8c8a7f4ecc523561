"""The review screen offers the possible communes of an initiative, one click to accept."""

import pytest
from django.urls import reverse

from solidaire.imports.services import document_analyse
from tests.factories import PASSWORD, make_campaign

TEXT = (
    "À Lens, les bénévoles du CCAS ont cousu 400 masques pour les aînés.\n\n"
    "Des masques sont aussi partis à Ligne : les couturières livrent les résidences."
)


@pytest.fixture
def document(db):
    document, _ = document_analyse(
        text=TEXT, name="lens.txt", department="62", campaign=make_campaign()
    )
    return document


def test_a_name_just_below_the_threshold_is_offered_not_taken(document):
    possible = document.result["possible"]
    assert [(p["initiative"], p["value"]) for p in possible] == [(0, "Ligne")]
    assert document.result["initiatives"][0]["communes"] == ["62498"]


def test_one_click_adds_it_to_the_initiative(client, moderator62, document):
    client.login(username=moderator62.username, password=PASSWORD)
    url = reverse("imports:review", args=[document.pk])
    page = client.get(url)
    code = document.result["possible"][0]["code"]
    assert f'name="accept" value="0:{code}"' in page.content.decode()

    response = client.post(
        url, {"i0-include": "on", "i0-communes": ["62498"], "accept": f"0:{code}"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.choices["0"]["communes"] == ["62498", code]
    again = client.get(url).content.decode()
    assert f'value="0:{code}"' not in again  # offered no more once chosen


def test_an_unknown_possible_is_ignored(client, moderator62, document):
    client.login(username=moderator62.username, password=PASSWORD)
    url = reverse("imports:review", args=[document.pk])
    client.post(
        url, {"i0-include": "on", "i0-communes": ["62498"], "accept": "0:59350", "action": "save"}
    )
    document.refresh_from_db()
    assert document.choices["0"]["communes"] == ["62498"]
