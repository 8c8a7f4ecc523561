"""A postal code is a postal code, and "Utiliser ma position", on the near-me page."""

import re

import pytest
from playwright.sync_api import expect

from solidaire.lib.geo import haversine_km
from solidaire.lib.typography import of_name
from solidaire.territory.models import Commune
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative

VIEWPORTS = [
    pytest.param({"width": 1280, "height": 900}, id="1280"),
    pytest.param({"width": 390, "height": 844}, id="390"),
]
HERE = {"latitude": 50.95, "longitude": 1.86}


def nearest_commune_name(lat, lon):
    box = Commune.objects.filter(
        latitude__range=(lat - 0.5, lat + 0.5), longitude__range=(lon - 0.8, lon + 0.8)
    )
    return min(box, key=lambda c: haversine_km(lat, lon, c.latitude, c.longitude)).name


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_62100_gives_calais_and_stays_calais_after_a_round_trip(page, url, viewport):
    make_initiative(title="Épicerie solidaire de Calais", communes=("62193",))
    page.set_viewport_size(viewport)
    page.goto(url("/pres-de-chez-moi/"))
    field = page.get_by_role("combobox", name=re.compile("Votre commune"))
    field.press_sequentially("62100", delay=20)
    expect(page.get_by_role("option").first).to_contain_text("Calais")
    field.press("Escape")
    page.get_by_role("button", name="Chercher").click()
    heading = page.get_by_role("heading", name=re.compile("^Autour de"))
    expect(heading).to_contain_text("Autour de Calais")
    expect(page.get_by_text("Épicerie solidaire de Calais")).to_be_visible()
    field = page.get_by_role("combobox", name=re.compile("Votre commune"))
    expect(field).to_have_value("Calais (62100)")
    assert axe_violations(page) == []
    # The next search, as the page now stands, still runs around Calais.
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("heading", name=re.compile("^Autour de"))).to_contain_text(
        "Autour de Calais"
    )
    expect(page.get_by_role("combobox", name=re.compile("Votre commune"))).to_have_value(
        "Calais (62100)"
    )
    assert "Beaurainville" not in page.locator("form").first.inner_text()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_my_position_picks_the_nearest_commune(browser, live_server, viewport):
    expected = nearest_commune_name(HERE["latitude"], HERE["longitude"])
    context = browser.new_context(
        locale="fr-FR", viewport=viewport, geolocation=HERE, permissions=["geolocation"]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/pres-de-chez-moi/")
        page.get_by_role("button", name="Utiliser ma position").click()
        expect(page.get_by_role("heading", name=re.compile("^Autour d"))).to_contain_text(
            f"Autour {of_name(expected)}"
        )
        expect(page.get_by_role("combobox", name=re.compile("Votre commune"))).to_have_value(
            re.compile(f"^{re.escape(expected)}")
        )
        assert axe_violations(page) == []
    finally:
        context.close()


def test_refused_geolocation_says_so_near_the_button(browser, live_server):
    context = browser.new_context(locale="fr-FR", permissions=[])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/pres-de-chez-moi/")
        page.get_by_role("button", name="Utiliser ma position").click()
        expect(page.locator("#position-message")).to_contain_text("refusé")
        expect(page.get_by_role("button", name="Utiliser ma position")).to_be_enabled()
        assert "lat=" not in page.url
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_position_button_is_hidden_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/pres-de-chez-moi/")
        expect(page.get_by_role("button", name="Chercher")).to_be_visible()
        expect(page.get_by_role("button", name="Utiliser ma position")).to_be_hidden()
    finally:
        context.close()
