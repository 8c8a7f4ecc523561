"""The public pages of calls for volunteers: /benevolat/, the initiative's and the commune's
pages, and the optional call of the proposal form."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from solidaire.initiatives.models import Freshness, Initiative, Status, VolunteerCall
from solidaire.territory.models import Commune
from tests.factories import make_initiative, make_theme, make_volunteer_call
from tests.initiatives.factories import propose_data

pytestmark = pytest.mark.django_db

ARRAS = "62041"
LILLE = "59350"
JVA = "https://www.jeveuxaider.gouv.fr/missions-benevolat/12345/soutien-scolaire"


def text(response) -> str:
    """The page as read, the typography's narrow spaces and apostrophes made plain."""
    page = html_lib.unescape(response.content.decode())
    return page.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")


def call_data(**overrides) -> dict:
    data = {
        "appel-wanted": "on",
        "appel-title": "Soutien scolaire à distance",
        "appel-description": "Aider des collégiens deux soirs par semaine.",
        "appel-domain": "education",
        "appel-commune": "",
        "appel-address": "",
        "appel-remote": "full",
        "appel-start_date": "",
        "appel-end_date": "",
        "appel-schedule": "Deux soirs par semaine",
        "appel-volunteers_wanted": "3",
        "appel-answer_url": "",
        "appel-answer_email": "benevoles@exemple.fr",
    }
    data.update({f"appel-{k}": v for k, v in overrides.items()})
    return data


# --- /benevolat/ ----------------------------------------------------------------------


def test_the_list_shows_open_calls_of_listed_initiatives_only(visitor):
    shown = make_volunteer_call(title="Soutien scolaire à distance")
    for initiative in (
        make_initiative(status=Status.SUBMITTED),
        make_initiative(status=Status.ARCHIVED),
        make_initiative(freshness=Freshness.HIDDEN),
    ):
        make_volunteer_call(initiative, title=f"Appel caché {initiative.status}")
    yesterday = timezone.localdate() - timedelta(days=1)
    make_volunteer_call(
        title="Appel terminé", start_date=yesterday - timedelta(days=3), end_date=yesterday
    )
    page = text(visitor.get("/benevolat/"))
    assert "Soutien scolaire à distance" in page
    assert "Appel caché" not in page and "Appel terminé" not in page
    assert "1 appel à bénévoles" in page
    assert f'href="{shown.initiative.get_absolute_url()}"' in page
    assert 'href="https://example.org/benevoles"' in page


def test_the_list_filters_by_commune_department_and_theme(visitor):
    theme = make_theme(name="Soutien scolaire")
    calais = make_volunteer_call(make_initiative(themes=[theme]), title="Devoirs à Calais en visio")
    arras = make_volunteer_call(
        make_initiative(communes=(ARRAS,)), title="Courses pour les aînés d'Arras"
    )
    lille = make_volunteer_call(
        make_initiative(communes=(LILLE,), owner="59"), title="Maraude du soir à Lille"
    )
    # A call may name a commune of its own, away from its initiative's.
    moved = make_volunteer_call(
        commune=Commune.objects.get(pk=ARRAS), title="Collecte de jouets à Arras"
    )

    def titles(query):
        page = text(visitor.get(f"/benevolat/?{query}"))
        return {c.title for c in (calais, arras, lille, moved) if c.title in page}

    assert titles("commune=62041") == {arras.title, moved.title}
    assert titles("commune=Calais") == {calais.title}
    assert titles("department=59") == {lille.title}
    assert titles("department=62") == {calais.title, arras.title, moved.title}
    assert titles(f"theme={theme.slug}") == {calais.title}


def test_an_unknown_filter_value_is_reported_and_the_others_still_apply(visitor):
    make_volunteer_call(title="Devoirs à Calais en visio")
    response = visitor.get("/benevolat/?department=999&commune=Calais")
    assert response.status_code == 200
    page = text(response)
    assert "« 999 » n'est pas une valeur connue pour ce filtre." in page
    assert "Devoirs à Calais en visio" in page


def test_the_list_is_paginated(visitor):
    initiative = make_initiative()
    VolunteerCall.objects.bulk_create(
        VolunteerCall(
            initiative=initiative,
            title=f"Mission numéro {i}",
            description="Aider.",
            answer_url="https://exemple.fr/",
        )
        for i in range(25)
    )
    first = text(visitor.get("/benevolat/?department=62"))
    assert "25 appels à bénévoles" in first
    assert first.count('class="fr-card fr-card--no-arrow') == 20
    assert "department=62&page=2" in first
    second = text(visitor.get("/benevolat/?department=62&page=2"))
    assert second.count('class="fr-card fr-card--no-arrow') == 5
    assert text(visitor.get("/benevolat/?page=abc")).count("fr-card--no-arrow") == 20


def test_the_empty_list_says_so_and_points_to_jeveuxaider(visitor):
    page = text(visitor.get("/benevolat/"))
    assert "Aucune initiative ne cherche de bénévoles pour le moment." in page
    assert 'href="https://www.jeveuxaider.gouv.fr/"' in page
    filtered = text(visitor.get("/benevolat/?department=62"))
    assert "Aucun appel ne correspond à ces filtres." in filtered


def test_a_call_links_to_its_jeveuxaider_mission_when_recorded(visitor):
    make_volunteer_call(jeveuxaider_url=JVA)
    page = text(visitor.get("/benevolat/"))
    assert f'href="{JVA}"' in page
    assert "Voir la mission sur JeVeuxAider" in page


# --- The initiative's and the commune's pages -------------------------------------------


def test_the_initiatives_page_shows_its_calls(visitor):
    call = make_volunteer_call(
        answer_url="", answer_email="benevoles@exemple.fr", volunteers_wanted=3
    )
    page = text(visitor.get(call.initiative.get_absolute_url()))
    assert "Appel à bénévoles" in page
    assert f'id="benevolat-{call.pk}"' in page
    assert 'href="mailto:benevoles@exemple.fr"' in page
    assert "dès maintenant" in page
    assert "Bénévoles recherchés" in page


def test_a_hidden_initiatives_page_shows_no_call(visitor):
    call = make_volunteer_call(make_initiative(freshness=Freshness.HIDDEN))
    response = visitor.get(call.initiative.get_absolute_url())
    assert response.status_code == 200
    assert call.title not in text(response)


def test_the_communes_page_has_a_volunteering_block(visitor):
    assert "Aucune initiative ne cherche de bénévoles à Calais" in text(
        visitor.get("/communes/62193/")
    )
    for i in range(4):
        make_volunteer_call(title=f"Mission de Calais {i}")
    page = text(visitor.get("/communes/62193/"))
    assert '<h2 id="benevolat-titre">Bénévolat</h2>' in page
    # The latest three, then a link to all.
    assert page.count('volunteer-call" id="benevolat-') == 3
    assert "Mission de Calais 3" in page and "Mission de Calais 0" not in page
    assert 'href="/benevolat/?commune=62193"' in page


# --- The proposal form ------------------------------------------------------------------


def test_a_proposal_may_carry_a_call_for_volunteers(visitor):
    response = visitor.post("/initiatives/proposer/", {**propose_data(), **call_data()})
    assert response.status_code == 302
    call = VolunteerCall.objects.get()
    assert call.title == "Soutien scolaire à distance"
    assert call.volunteers_wanted == 3 and call.remote == "full" and call.domain == "education"
    assert call.initiative.status == Status.SUBMITTED
    # Not public before its initiative is.
    assert call.title not in text(visitor.get("/benevolat/"))


def test_the_optional_call_asks_nothing_of_the_browser(visitor):
    page = text(visitor.get("/initiatives/proposer/"))
    fields = re.findall(r'<(?:input|textarea|select)[^>]*name="appel-[^"]*"[^>]*>', page)
    assert fields and not [f for f in fields if "required" in f]
    assert re.search(r'<textarea[^>]*name="description"[^>]*required', page)


def test_an_unticked_call_is_ignored_whatever_it_holds(visitor):
    data = {**propose_data(), **call_data(answer_email="pas une adresse")}
    del data["appel-wanted"]
    assert visitor.post("/initiatives/proposer/", data).status_code == 302
    assert Initiative.objects.count() == 1 and not VolunteerCall.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"answer_email": ""},
            "Indiquez comment répondre à l'appel : un lien, une adresse e-mail, ou les deux.",
        ),
        ({"answer_email": "pas une adresse"}, "Saisissez une adresse e-mail valide"),
        ({"answer_url": "javascript:alert(1)"}, "Saisissez une adresse web complète"),
        (
            {"start_date": "2020-05-10", "end_date": "2020-05-01"},
            "La date de fin doit être postérieure à la date de début.",
        ),
        ({"volunteers_wanted": "-2"}, "Indiquez au moins un bénévole, ou laissez vide."),
        ({"title": "Devoirs"}, "un seul mot ne suffit pas"),
        ({"description": ""}, "Remplissez ce champ pour publier votre appel."),
    ],
)
def test_a_bad_call_keeps_everything_typed_and_says_why(visitor, change, message):
    data = {**propose_data(title="Cours du soir à Calais"), **call_data(**change)}
    response = visitor.post("/initiatives/proposer/", data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert page.count("<title>Erreur") == 1
    assert 'value="Cours du soir à Calais"' in page
    if "description" not in change:
        assert "Aider des collégiens deux soirs par semaine." in page
    assert re.search(r'<input[^>]*name="appel-wanted"[^>]*checked', page)
    assert not Initiative.objects.exists() and not VolunteerCall.objects.exists()
