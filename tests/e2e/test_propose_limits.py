"""The public form's long fields: their limit and a live count; too long is refused, not cut."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.factories import make_campaign


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["1280", "390"]
)
def test_a_pasted_title_over_its_limit_is_counted_refused_and_kept(page, url, viewport):
    page.set_viewport_size(viewport)
    make_campaign()
    page.goto(url("/initiatives/proposer/"))
    title = page.get_by_label("Titre de l'initiative")
    expect(page.locator("#id_title_helptext")).to_contain_text("200\u00a0caractères au plus.")
    pasted = "Distribution de repas " + "très " * 40  # 222 characters
    title.fill(pasted)
    assert title.input_value() == pasted  # nothing cut by the browser
    counter = page.locator("#id_title ~ [data-char-count]")
    expect(counter).to_have_text(f"{len(pasted)}\u00a0/ 200\u00a0caractères")
    live = page.locator("#id_title ~ [aria-live=polite]")
    expect(live).to_have_text(f"Limite dépassée de {len(pasted) - 200}\u00a0caractères.")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
    assert "200 caractères" in page.locator("#id_title").locator("..").inner_text()
    assert page.get_by_label("Titre de l'initiative").input_value() == pasted  # kept as typed
    assert axe_violations(page) == []
