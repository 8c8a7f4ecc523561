import pytest
from playwright.sync_api import expect

from solidaire.bulletins.models import Bulletin, BulletinStatus
from tests.bulletins.factories import make_demo_bulletin, make_series
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative, make_staff


@pytest.mark.parametrize(
    "path",
    [
        "/bulletins/",
        "/bulletins/pas-de-calais-solidaire/",
        "/bulletins/pas-de-calais-solidaire/6/",
    ],
)
def test_the_public_bulletin_pages_are_accessible(page, url, path):
    make_demo_bulletin()
    page.goto(url(path))
    assert "Covid-19" in page.locator("h1").inner_text() or path == "/bulletins/"
    assert axe_violations(page) == []


def test_a_reader_opens_the_pdf_and_subscribes(page, url):
    make_demo_bulletin()
    page.goto(url("/bulletins/pas-de-calais-solidaire/6/"))
    assert page.get_by_role("heading", level=2).first.inner_text().startswith("Solidaires dans")
    href = page.get_by_role("link", name="Télécharger le PDF").get_attribute("href")
    pdf = page.request.get(url(href))
    assert pdf.headers["content-type"] == "application/pdf"

    page.get_by_role("link", name="S’abonner").click()
    # The form is loaded in place (htmx), apart from the cached series page.
    page.get_by_role("link", name="S’abonner par e-mail").click()
    page.get_by_label("Votre adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="S’abonner").click()
    assert "n'est pas valide" in page.locator("form").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Votre adresse e-mail").fill("lectrice@exemple.test")
    page.get_by_role("button", name="S’abonner").click()
    assert "ouvrez le lien de confirmation" in page.locator(".fr-alert").inner_text()


def test_an_editor_composes_and_publishes_without_javascript_tricks(page, url, login):
    series = make_series()
    make_initiative(title="Visières à Calais", contacts=[("url", "https://example.org/v")])
    make_initiative(title="Repas à Lens", communes=("62498",))
    login(page, make_staff("editeur62", editor=["62"]))

    page.goto(url("/gestion/bulletins/"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Nouveau numéro").click()
    assert "2 initiatives publiées" in page.locator(".fr-alert").inner_text()
    assert axe_violations(page) == []
    # The move and remove buttons show their words, not a bare icon.
    for name in ("Monter", "Descendre", "Retirer"):
        button = page.get_by_role("button", name=f"{name} « Repas à Lens »")
        assert button.bounding_box()["width"] > 60, f"{name} is shown as an icon only"

    page.get_by_role("button", name="Monter « Repas à Lens »").click()
    # htmx swaps the list in place; focus stays on the moved item's button.
    expect(page.locator("#liste-initiatives h4").first).to_have_text("Repas à Lens")
    expect(page.get_by_role("button", name="Monter « Repas à Lens »")).to_be_focused()
    expect(page.locator("#annonce-composeur")).to_have_text("Initiative déplacée.")
    paragraph = page.locator("textarea[name$='-paragraph']").first
    paragraph.fill("Des repas livrés chaque jour aux soignants de Lens.")
    page.get_by_role("button", name="Enregistrer le paragraphe de « Repas à Lens »").click()

    page.get_by_role("button", name="Aperçu").first.click()
    assert "Des repas livrés chaque jour" in page.locator("article").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Revenir au composeur").click()
    page.get_by_role("button", name="Publier le n°6").first.click()
    # Publishing asks first: no subscriber yet, so nothing would be e-mailed.
    expect(page.locator("[data-recipient-counts]")).to_contain_text("0 abonné confirmé")
    page.get_by_role("button", name="Publier sans envoyer").click()

    assert page.url.endswith("/bulletins/pas-de-calais-solidaire/6/")
    assert Bulletin.objects.get(series=series).status == BulletinStatus.PUBLISHED
    text = page.locator("article").inner_text()
    assert text.index("Des repas livrés") < text.index("Visières à Calais")
