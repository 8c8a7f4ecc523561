"""The commune finder in a real browser: keyboard use of the autocomplete, axe checks."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations


def test_typing_a_misspelt_name_and_picking_with_the_keyboard_lands_on_the_commune(page, url):
    page.goto(url("/communes/"))
    combobox = page.get_by_role("combobox", name=re.compile("commune"))
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
    search = page.get_by_role("textbox", name=re.compile("Nom, code postal"))
    expect(search).not_to_have_attribute("role", "combobox")
    search.fill("Saint-Omer")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Plusieurs communes correspondent")).to_be_visible()
    expect(page.get_by_role("link", name="Saint-Omer", exact=True)).to_have_count(2)
    page.get_by_role("textbox", name=re.compile("Nom, code postal")).fill("neufchatel hardelot")
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


def test_several_communes_are_picked_as_removable_tags_in_the_proposal_form(page, url):
    page.goto(url("/initiatives/proposer/"))
    field = page.get_by_role("combobox", name=re.compile("Communes concernées"))
    suggestions = page.get_by_role("listbox", name="Communes proposées").get_by_role("option")
    field.press_sequentially("Arras", delay=20)
    expect(suggestions.first).to_contain_text("Arras")
    field.press("ArrowDown")
    field.press("Enter")
    tag = page.get_by_role("button", name="Retirer Arras (62000)")
    expect(tag).to_be_visible()
    expect(page.locator('input[type="hidden"][name="communes"]')).to_have_value("62041")
    expect(field).to_have_value("")
    field.press_sequentially("neufchatel", delay=20)
    expect(suggestions.first).to_contain_text("Neufchâtel-Hardelot")
    field.press("Enter")  # no highlighted option: the first suggestion is taken
    expect(page.locator('input[type="hidden"][name="communes"]')).to_have_count(2)
    violations = [v for v in axe_violations(page) if "commune" in v.lower()]
    assert violations == []
    tag.click()
    expect(page.locator('input[type="hidden"][name="communes"]')).to_have_count(1)
    expect(field).to_be_focused()


@pytest.mark.urls("tests.e2e.territory_urls")
def test_the_commune_map_draws_the_outline_without_any_tile_server(page, url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url("/essai-territoire/62193/"))
    outline = page.locator(".commune-map__canvas path[stroke='#000091']")
    expect(outline).to_have_count(1)
    assert page.locator(".commune-map__canvas path").count() > 800  # the 62 for context
    assert page.locator(".leaflet-tile").count() == 0
    assert all(r.startswith(url("/")) for r in requests), "no request leaves the site"
    assert axe_violations(page) == []


def test_the_commune_page_shows_its_map_at_full_column_width(page, url):
    page.goto(url("/communes/62193/"))
    outline = page.locator(".commune-map__canvas path[stroke='#000091']")
    expect(outline).to_have_count(1)
    canvas = page.locator(".commune-map__canvas").bounding_box()
    figure = page.locator("figure.commune-map").bounding_box()
    assert canvas["width"] > 200, "the map canvas collapsed inside its figure"
    assert canvas["width"] >= figure["width"] - 1
    assert outline.bounding_box()["width"] > 0
