"""A visitor finds a call for volunteers on /benevolat/ and opens its initiative."""

import pytest

from solidaire.territory.models import Commune
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative, make_theme, make_volunteer_call

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
JVA = "https://www.jeveuxaider.gouv.fr/missions-benevolat/12345/soutien-scolaire"


@pytest.fixture
def calls():
    theme = make_theme(name="Soutien scolaire")
    school = make_initiative(
        title="L'école à la maison pour les collégiens d'Arras",
        communes=("62041",),
        themes=[theme],
    )
    return [
        make_volunteer_call(
            school,
            title="Soutien scolaire à distance",
            description="Aider des collégiens à faire leurs devoirs, deux soirs par semaine.",
            remote="full",
            volunteers_wanted=5,
            answer_email="benevoles@exemple.fr",
            jeveuxaider_url=JVA,
        ),
        make_volunteer_call(
            title="Courses pour les aînés de Calais",
            commune=Commune.objects.get(pk="62193"),
        ),
    ]


@VIEWPORTS
def test_a_visitor_finds_a_call_and_opens_its_initiative(page, url, calls, viewport):
    page.set_viewport_size(viewport)
    page.goto(url("/benevolat/"))
    assert page.locator("h1").inner_text() == "Appels à bénévoles"
    assert axe_violations(page) == []
    # Filtered to Arras' commune, only its call is left.
    page.get_by_role("combobox", name="Commune").fill("62041")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/benevolat/?*commune=*")
    cards = page.locator(".volunteer-call")
    assert cards.count() == 1
    card = cards.first
    assert card.get_by_role("heading", name="Soutien scolaire à distance").is_visible()
    assert (
        card.get_by_role("link", name="Voir la mission sur JeVeuxAider").get_attribute("href")
        == JVA
    )
    assert axe_violations(page) == []
    card.get_by_role("link", name="L'école à la maison pour les collégiens d'Arras").click()
    page.wait_for_url(url(calls[0].initiative.get_absolute_url()))
    section = page.locator("section[aria-labelledby=benevolat-titre]")
    assert section.get_by_role("heading", name="Soutien scolaire à distance").is_visible()
    assert (
        section.get_by_role("link", name="Écrire à benevoles@exemple.fr").get_attribute("href")
        == "mailto:benevoles@exemple.fr"
    )
    assert axe_violations(page) == []
