"""Maps beyond the 62: a Nord instance, Corsica (2A, 2B) and a national instance
(INSTANCE_DEPARTMENTS), with an initiative in the Nord and one in Corse-du-Sud (made
directly: ``load_demo --beyond-62`` is tested in tests/initiatives, and costs seconds here)."""

import pytest
from django.test import override_settings

from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative

LILLE_TITLE = "Collecte de masques en tissu à Lille"
AJACCIO_TITLE = "Repas offerts aux soignants de l'hôpital d'Ajaccio"


@pytest.fixture
def demo():
    make_initiative(title=LILLE_TITLE, communes=("59350",), owner="59")
    make_initiative(title=AJACCIO_TITLE, communes=("2A004",), owner="2A")


def open_map(page, url):
    page.goto(url("/carte/"))
    page.locator("#carte[data-map-ready=true]").wait_for()


@override_settings(INSTANCE_DEPARTMENTS="59")
def test_a_nord_instance_maps_the_nord_s_communes(page, url, demo):
    open_map(page, url)
    assert page.locator("path.map-commune").count() > 600
    assert page.locator("path.map-commune-62193").count() == 0
    page.locator("path.map-commune-59350").dispatch_event("click")
    panel = page.locator("#carte-panneau")
    panel.get_by_role("link", name=LILLE_TITLE).wait_for()
    assert panel.locator("h2").inner_text() == "Lille"
    assert axe_violations(page) == []


@override_settings(INSTANCE_DEPARTMENTS="2A,2B")
def test_corsica_opens_onto_each_departement_s_communes(page, url, demo):
    open_map(page, url)
    assert page.locator("path.map-department").count() == 2
    assert page.locator("path.map-commune").count() == 0
    back = page.get_by_role("button", name="Revenir aux départements")
    assert not back.is_visible()
    for code, ajaccio_or_bastia in (("2A", "2A004"), ("2B", "2B033")):
        page.locator(f"path.map-department-{code}").dispatch_event("click")
        page.locator(f"#carte[data-map-department='{code}'][data-map-ready=true]").wait_for()
        assert page.locator(f"path.map-commune-{ajaccio_or_bastia}").count() == 1
        assert page.locator("path.map-commune").count() > 100
        back.click()
        assert page.locator("path.map-commune").count() == 0
    page.locator("path.map-department-2A").dispatch_event("click")
    page.locator("path.map-commune-2A004").dispatch_event("click")
    page.locator("#carte-panneau").get_by_role("link", name=AJACCIO_TITLE).wait_for()
    assert axe_violations(page) == []


@override_settings(INSTANCE_DEPARTMENTS="2A,2B")
def test_corsican_commune_pages_draw_their_outline(page, url, demo):
    for insee in ("2A004", "2B033"):
        page.goto(url(f"/communes/{insee}/"))
        page.locator("[data-commune-map][data-drawn=true]").wait_for()
        # Its own outline over the faint outlines of the rest of its département.
        assert page.locator(".commune-map__canvas path").count() > 100
        assert axe_violations(page) == []


@override_settings(INSTANCE_DEPARTMENTS="*")
def test_a_national_instance_colours_the_departements(page, url, db):
    open_map(page, url)
    assert page.locator("path.map-department").count() == 101
    # The départements list beside the map drills down too, from the keyboard.
    page.get_by_role("link", name="Nord (59)").press("Enter")
    page.locator("#carte[data-map-department='59'][data-map-ready=true]").wait_for()
    assert page.locator("path.map-commune-59350").count() == 1
    assert axe_violations(page) == []
