"""The commune finder in a real browser: keyboard use of the autocomplete, axe checks."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations


def test_typing_a_misspelt_name_and_picking_with_the_keyboard_lands_on_the_commune(page, url):
    page.goto(url("/communes/"))
    combobox = page.get_by_role("combobox", name=re.compile("Nom, code postal"))
    combobox.press_sequentially("Calaisn", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option").first).to_contain_text("Calais")
    expect(page.get_by_role("status").filter(has_text="communes proposées")).to_have_count(1)
    combobox.press("ArrowDown")
    first = page.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(combobox).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    combobox.press("Enter")
    page.wait_for_url(url("/communes/62193/"))
    expect(page.locator("h1")).to_have_text("Calais")
    expect(page.locator(".commune-identity")).to_contain_text("CA Grand Calais Terres et Mers")
    # The outline is drawn from the served GeoJSON, without any tile server.
    expect(
        page.locator(
            ".commune-map__canvas path.leaflet-interactive, .commune-map__canvas path"
        ).first
    ).to_be_attached()


def test_escape_closes_the_suggestions(page, url):
    page.goto(url("/communes/"))
    combobox = page.get_by_role("combobox")
    combobox.press_sequentially("Boulogne", delay=20)
    expect(page.get_by_role("listbox")).to_be_visible()
    combobox.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(combobox).to_have_attribute("aria-expanded", "false")


def test_the_search_works_without_javascript(browser, url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url("/communes/"))
    page.get_by_label(re.compile("Nom, code postal")).fill("Saint-Omer")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="Saint-Omer").first).to_be_visible()
    page.get_by_label(re.compile("Nom, code postal")).fill("neufchatel hardelot")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("h1")).to_have_text("Neufchâtel-Hardelot")
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/communes/",
        "/communes/?q=Saint-Omer",
        "/communes/62193/",
        "/communes/95500/",
        "/communes/99999/",
    ],
)
def test_territory_pages_have_no_axe_violations(page, url, path):
    page.goto(url(path))
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


def test_the_open_autocomplete_has_no_axe_violations(page, url):
    page.goto(url("/communes/"))
    page.get_by_role("combobox").press_sequentially("Lens", delay=20)
    expect(page.get_by_role("listbox")).to_be_visible()
    page.get_by_role("combobox").press("ArrowDown")
    assert axe_violations(page) == []
