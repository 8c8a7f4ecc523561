"""People find published initiatives: commune search, map, and accessible pages."""

import pytest
from django.core.management import call_command

from solidaire.initiatives.models import Initiative
from tests.e2e.conftest import axe_violations

CALAIS_TITLE = "1 300 visières imprimées en 3D à Calais"
LILLERS_TITLE = "Appels réguliers aux habitants isolés par le CCAS de Lillers"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {initiative.title: initiative for initiative in Initiative.objects.public()}


def test_typing_calaisn_on_the_home_page_leads_to_calais(page, url, demo, csp_violations):
    page.goto(url("/"))
    assert page.evaluate("typeof window.reportCspViolation") == "function"  # listening
    field = page.get_by_role("combobox", name="Nom, code postal ou code INSEE de la commune")
    field.press_sequentially("Calaisn", delay=30)
    option = page.get_by_role("option", name="Calais", exact=False).first
    option.wait_for()
    assert option.inner_text().startswith("Calais")
    option.click()
    page.wait_for_url(url("/communes/62193/"))
    assert page.locator("h1").inner_text() == "Calais"
    assert page.get_by_role("link", name=CALAIS_TITLE).is_visible()
    # The policy is enforced (script-src 'self', no inline code) and nothing broke it.
    policy = page.request.get(url("/")).headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert csp_violations == []


def test_the_map_shows_the_62_and_clicking_lillers_lists_its_ccas(page, url, demo):
    page.goto(url("/carte/"))
    page.locator("[data-map-ready=true]").wait_for()
    assert page.locator("path.map-commune").count() > 800
    lillers = page.locator("path.map-commune-62516")
    lillers.dispatch_event("click")
    panel = page.locator("#carte-panneau")
    panel.get_by_role("link", name=LILLERS_TITLE).wait_for()
    assert panel.locator("h2").inner_text() == "Lillers"
    # The same results are reachable without the map, from the list beside it.
    assert page.get_by_role("table").get_by_role("link", name=LILLERS_TITLE).count() == 1


def test_the_list_filters_without_reloading_the_page(page, url, demo):
    page.goto(url("/initiatives/"))
    page.evaluate("window.samePage = true")
    page.get_by_label("Rechercher").fill("visiere")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/initiatives/?*q=visiere*")
    results = page.locator("#resultats")
    assert results.get_by_role("link", name=CALAIS_TITLE).is_visible()
    assert results.get_by_role("link", name=LILLERS_TITLE).count() == 0
    assert page.evaluate("window.samePage") is True  # htmx swapped the results only


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/initiatives/",
        "/initiatives/?q=masques&campaign=inconnue",
        "detail",
        "/communes/62193/",
        "/epci/200033579/",
        "/pres-de-chez-moi/?commune=Lillers",
        "/carte/",
    ],
)
def test_public_pages_have_no_axe_violation(page, url, demo, path):
    if path == "detail":
        path = demo[CALAIS_TITLE].get_absolute_url()
    page.goto(url(path))
    if path == "/carte/":
        page.locator("[data-map-ready=true]").wait_for()
    assert axe_violations(page) == []
