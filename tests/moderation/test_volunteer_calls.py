"""Moderators add and edit an initiative's calls for volunteers from its review page."""

import html as html_lib

import pytest

from solidaire.initiatives.models import VolunteerCall
from tests.factories import make_initiative, make_volunteer_call

pytestmark = pytest.mark.django_db

JVA = "https://www.jeveuxaider.gouv.fr/missions-benevolat/12345/soutien-scolaire"
FORM = {
    "title": "Courses pour les aînés",
    "description": "Faire les courses des personnes âgées isolées.",
    "domain": "solidarite-insertion",
    "commune": "Arras",
    "remote": "no",
    "volunteers_wanted": "5",
    "answer_email": "benevoles@exemple.fr",
    "jeveuxaider_url": "",
}


def text(response) -> str:
    page = html_lib.unescape(response.content.decode())
    return page.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")


@pytest.fixture
def staff(client, moderator62):
    client.force_login(moderator62)
    return client


def test_the_review_page_lists_the_calls_and_offers_to_add_one(staff):
    call = make_volunteer_call()
    page = text(staff.get(f"/gestion/initiatives/{call.initiative_id}/"))
    assert "Appels à bénévoles" in page
    assert f'href="/gestion/initiatives/{call.initiative_id}/benevolat/{call.pk}/"' in page
    assert f'href="/gestion/initiatives/{call.initiative_id}/benevolat/nouveau/"' in page


def test_a_moderator_adds_a_call_in_a_commune_of_its_own(staff, moderator62):
    initiative = make_initiative()
    response = staff.post(f"/gestion/initiatives/{initiative.pk}/benevolat/nouveau/", FORM)
    assert response.status_code == 302
    call = VolunteerCall.objects.get()
    assert call.commune_id == "62041" and call.volunteers_wanted == 5
    assert "Soutien" not in call.title


def test_a_moderator_records_the_jeveuxaider_mission_of_a_call(staff):
    call = make_volunteer_call()
    url = f"/gestion/initiatives/{call.initiative_id}/benevolat/{call.pk}/"
    form = text(staff.get(url))
    assert 'value="Soutien scolaire à distance"' in form
    assert "Mission JeVeuxAider" in form
    response = staff.post(url, {**FORM, "title": call.title, "jeveuxaider_url": JVA})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.jeveuxaider_url == JVA and call.commune_id == "62041"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"answer_email": ""}, "Indiquez comment répondre à l'appel"),
        (
            {"jeveuxaider_url": "https://exemple.fr/mission"},
            "adresse de la mission sur JeVeuxAider",
        ),
        ({"volunteers_wanted": "-1"}, "Indiquez au moins un bénévole"),
        ({"commune": "Nullepart-sur-Mer"}, "Nullepart-sur-Mer"),
    ],
)
def test_a_bad_call_is_refused_with_everything_kept(staff, change, message):
    call = make_volunteer_call()
    url = f"/gestion/initiatives/{call.initiative_id}/benevolat/{call.pk}/"
    response = staff.post(url, {**FORM, **change})
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'value="Courses pour les aînés"' in page
    assert VolunteerCall.objects.get(pk=call.pk).title == "Soutien scolaire à distance"


def test_a_call_of_another_initiative_is_not_found_from_this_one(staff):
    call = make_volunteer_call()
    other = make_initiative()
    assert staff.get(f"/gestion/initiatives/{other.pk}/benevolat/{call.pk}/").status_code == 404


def test_a_moderator_deletes_a_call(staff):
    call = make_volunteer_call()
    url = f"/gestion/initiatives/{call.initiative_id}/benevolat/{call.pk}/supprimer/"
    assert staff.post(url).status_code == 302
    assert not VolunteerCall.objects.exists()
