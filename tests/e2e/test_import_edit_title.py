"""The import review in a real browser: a mayor's e-mail, its title edited before the
proposal is created with it (desktop and phone widths)."""

import re

import pytest
from playwright.sync_api import expect

from solidaire.imports.readers import split_email
from solidaire.imports.services import document_analyse
from solidaire.initiatives.models import Initiative, Source
from tests.e2e.conftest import axe_violations
from tests.factories import make_campaign, make_staff
from tests.imports.office import HERE

VIEWPORTS = pytest.mark.parametrize(
    "viewport",
    [
        pytest.param({"width": 1280, "height": 900}, id="1280"),
        pytest.param({"width": 390, "height": 844}, id="390"),
    ],
)


@VIEWPORTS
def test_a_moderator_edits_the_title_and_creates_the_proposal_with_it(page, url, login, viewport):
    campaign = make_campaign()
    moderator = make_staff(f"modo22-{viewport['width']}", moderator=["22"])
    parts, _ = split_email((HERE / "pabu-distribution-masques.eml").read_bytes(), "pabu.eml")
    name, data = parts[0]
    document, _ = document_analyse(data=data, name=name, department="22", campaign=campaign)
    page.set_viewport_size(viewport)
    login(page, moderator)
    page.goto(url(f"/gestion/imports/{document.pk}/"))

    title = page.get_by_label("Titre")
    expect(title).to_have_value("Confection de masques par des bénévoles à Pabu")
    expect(page.get_by_label("Porteur")).to_have_value("Mairie de Pabu")
    expect(page.get_by_label("Série de bulletins")).to_be_visible()
    assert axe_violations(page) == []

    title.fill("Masques cousus par des bénévoles à Pabu")
    page.get_by_role("button", name="Créer les initiatives cochées").last.click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("1 initiative créée")
    expect(page.get_by_role("link", name="Masques cousus par des bénévoles à Pabu")).to_be_visible()
    assert axe_violations(page) == []
    initiative = Initiative.objects.get(source=Source.IMPORT)
    assert initiative.title == "Masques cousus par des bénévoles à Pabu"
    assert re.search(r"2 700 masques", initiative.description)
    assert initiative.start_date.isoformat() == "2020-05-09"
