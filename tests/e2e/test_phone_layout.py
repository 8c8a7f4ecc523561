"""On a phone the results come first, and a sent form's answer is what the screen shows."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.factories import make_campaign, make_initiative

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])


@pytest.fixture
def initiatives():
    campaign = make_campaign()
    made = [
        make_initiative(title=f"Initiative solidaire {n}", campaign=campaign, communes=("62193",))
        for n in range(4)
    ]
    made[0].contacts.create(kind="phone", value="+33321320000")
    return made


def in_view(box, viewport) -> bool:
    # A pixel of tolerance: an anchor scrolls the box's top to a sub-pixel position.
    return box["y"] > -1 and box["y"] + box["height"] <= viewport["height"]


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@VIEWPORTS
def test_the_first_result_of_the_list_is_in_the_first_screen(page, url, initiatives, viewport):
    page.set_viewport_size(viewport)
    page.goto(url("/initiatives/"))
    first = page.locator("#resultats .fr-card").first
    assert first.bounding_box()["y"] < viewport["height"]
    # The first contact can be acted on from the card.
    assert page.get_by_role("link", name="03 21 32 00 00").get_attribute("href") == (
        "tel:+33321320000"
    )
    filters = page.get_by_role("button", name="Filtrer")
    if viewport is PHONE:
        assert not page.get_by_label("Rechercher").is_visible()  # folded
        filters.click()
        page.get_by_label("Rechercher").wait_for(state="visible")
    else:
        assert not filters.is_visible()  # the desktop layout keeps its open filters
        assert page.get_by_label("Rechercher").is_visible()
    assert axe_violations(page) == []


@VIEWPORTS
def test_the_map_comes_after_the_list_on_a_phone(page, url, initiatives, viewport):
    page.set_viewport_size(viewport)
    page.goto(url("/carte/"))
    map_top = page.locator("#carte").bounding_box()["y"]
    list_top = page.locator("#titre-liste").bounding_box()["y"]
    assert (list_top < map_top) == (viewport is PHONE)


@VIEWPORTS
def test_the_report_confirmation_is_in_view_and_focused(page, url, initiatives, viewport):
    page.set_viewport_size(viewport)
    page.goto(url(initiatives[0].get_absolute_url()))
    # The form is loaded in place (htmx), apart from the cached page; its field takes the focus.
    page.get_by_role("link", name="Signaler une erreur", exact=True).click()
    field = page.get_by_label(re.compile("Votre message"))
    expect(field).to_be_focused()
    field.fill("Cette action est terminée.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    confirmation = page.get_by_text("votre signalement a été transmis")
    confirmation.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'message'")
    assert in_view(page.locator("#message").bounding_box(), viewport)
    assert axe_violations(page) == []


@VIEWPORTS
def test_the_error_summary_takes_the_focus(page, url, initiatives, viewport):
    page.set_viewport_size(viewport)
    page.goto(url("/initiatives/proposer/"))
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'erreurs'")
    assert re.match(r"Erreur\s:", page.title())
    summary = page.locator("#erreurs")
    assert summary.bounding_box()["y"] > -1
    assert summary.bounding_box()["y"] < viewport["height"]
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    link.click()
    assert "#" + focused_id(page) == target
    assert axe_violations(page) == []
