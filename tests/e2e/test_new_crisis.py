"""An administrator starts a new crisis from /gestion/ alone and publishes its number 1."""

import pytest
from playwright.sync_api import expect

from solidaire.bulletins.models import Bulletin, BulletinSeries, BulletinStatus
from solidaire.initiatives.models import Campaign
from tests.e2e.conftest import axe_violations
from tests.factories import make_campaign, make_staff

VIEWPORTS = [
    pytest.param({"width": 1280, "height": 900}, id="desktop"),
    pytest.param({"width": 390, "height": 844}, id="mobile"),
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_administrator_creates_a_campaign_and_publishes_number_one(page, url, login, viewport):
    page.set_viewport_size(viewport)
    old = make_campaign(name="Covid-19")
    login(page, make_staff("admin", superuser=True))
    page.goto(url("/gestion/"))
    page.get_by_role("navigation", name="Menu de gestion").get_by_role(
        "link", name="Nouvelle crise"
    ).click()
    expect(page.locator("h1")).to_have_text("Nouvelle crise")
    expect(page.get_by_label("Autorité émettrice")).to_have_value("Préfet du Pas-de-Calais")
    assert axe_violations(page) == []

    page.get_by_label("Nom de la campagne").fill("Covid-19")
    page.get_by_label("Thèmes").fill("Abris\n  Gymnases\n\nRepas\nÉnergie\nRepas")
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.locator(".fr-alert--error")).to_contain_text("Une campagne porte déjà ce nom")
    expect(page.get_by_label("Thèmes")).to_have_value("Abris\n  Gymnases\n\nRepas\nÉnergie\nRepas")
    assert axe_violations(page) == []

    page.get_by_label("Nom de la campagne").fill("Tempête")
    # The DSFR checkbox is drawn on its label: a person clicks the label.
    page.locator("label", has_text="Clore la campagne en cours : « Covid-19 »").click()
    expect(page.get_by_label("Clore la campagne en cours : « Covid-19 »")).to_be_checked()
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text(
        "Campagne « Tempête » créée avec 4 thèmes et la série « Tempête : le Pas-de-Calais solidaire »"
    )
    campaign = Campaign.objects.get(name="Tempête")
    assert campaign.themes.filter(parent=None).count() == 3
    old.refresh_from_db()
    assert not old.is_active
    series = BulletinSeries.objects.get(campaign=campaign)
    assert series.authority == "Préfet du Pas-de-Calais"

    section = page.locator("section", has_text="Tempête : le Pas-de-Calais solidaire")
    section.get_by_role("button", name="Nouveau numéro").click()
    expect(page.locator(".fr-alert--success")).to_contain_text(
        "Aucune initiative publiée à relayer pour l'instant"
    )
    page.get_by_role("textbox", name="Introduction").fill("La préfecture ouvre la campagne.")
    page.get_by_role("textbox", name="Appels à l'action").fill("Rejoignez la réserve civique.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publier le n°1").first.click()

    expect(page.locator("h1")).to_have_text("Publier le n°1 ?")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publier sans envoyer").click()
    expect(page.locator(".fr-alert--success").first).to_be_visible()
    bulletin = Bulletin.objects.get(series=series)
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.number == 1
    page.goto(url(bulletin.get_absolute_url()))
    expect(page.locator("main")).to_contain_text("La préfecture ouvre la campagne.")
    assert axe_violations(page) == []
