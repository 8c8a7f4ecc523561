"""A visitor proposes an initiative in Calais, a moderator of the 62 publishes it."""

import re

from playwright.sync_api import expect

from solidaire.initiatives.models import Initiative, Status
from solidaire.territory.finder import get_index
from tests.e2e.conftest import axe_violations
from tests.factories import make_campaign, make_staff


def test_propose_then_publish_then_see_it_in_public(page, url, login):
    make_campaign()
    get_index()  # built once per process: the live server shares it, suggestions come fast
    page.goto(url("/initiatives/proposer/"))
    assert page.locator("h1").inner_text() == "Proposer une initiative"
    assert axe_violations(page) == []

    page.get_by_label("Titre de l'initiative").fill("Visières imprimées pour les soignants")
    page.get_by_label("Description").fill(
        "Des **visières** pour l'hôpital. <script>document.title='pirate'</script> "
        "[clic](javascript:document.title='pirate')"
    )
    page.get_by_label("Porteur de l'initiative").fill("Fablab du Calaisis")
    page.get_by_label("Type de porteur").select_option("association")
    # The commune autocomplete, by keyboard: "Calais" then the first suggestion.
    combobox = page.get_by_role("combobox", name=re.compile("Communes concernées"))
    combobox.press_sequentially("Calais", delay=30)
    suggestion = page.get_by_role("listbox").get_by_role("option").first
    expect(suggestion).to_contain_text("Calais", timeout=15_000)
    combobox.press("ArrowDown")
    combobox.press("Enter")
    expect(page.get_by_role("button", name=re.compile("Retirer Calais"))).to_be_visible()
    page.get_by_label("Votre nom").fill("Camille Déposante")
    page.get_by_label("Votre adresse e-mail").fill("camille@exemple.test")
    # One more quantity row, added by the small script.
    page.get_by_role("button", name="Ajouter une quantité").click()
    page.locator("#id_quantites-0-count").fill("1300")
    page.locator("#id_quantites-0-item").fill("visières")
    # A public contact, so that the initiative says how to act (publishing requires one).
    page.locator("#id_contacts-0-kind").select_option(label="Téléphone")
    page.locator("#id_contacts-0-value").fill("03 21 61 36 10")
    page.get_by_text("J'accepte que les contacts publics").click()
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_load_state()
    errors = page.locator(".fr-error-text, .errorlist").all_inner_texts()
    assert errors == []
    page.wait_for_url("**/initiatives/proposer/merci/")
    assert "Merci" in page.locator("h1").inner_text()

    initiative = Initiative.objects.get()
    assert initiative.status == Status.SUBMITTED
    assert [p.commune_id for p in initiative.places.all()] == ["62193"]

    moderator = make_staff("moderateur62", moderator=["62"])
    login(page, moderator)
    page.goto(url("/gestion/"))
    assert page.get_by_role("link", name="Visières imprimées pour les soignants").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Visières imprimées pour les soignants").click()
    page.get_by_role("button", name="Publier", exact=True).first.click()
    page.wait_for_load_state()
    assert "L'initiative est publiée." in page.content()
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED

    page.goto(url(f"/initiatives/{initiative.pk}/"))
    # The public detail page shows it; the sanitised description runs nothing.
    assert page.locator("h1").inner_text() == "Visières imprimées pour les soignants"
    assert "Fablab du Calaisis" in page.locator("main").inner_text()
    assert "Calais" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="03 21 61 36 10").get_attribute("href") == (
        "tel:+33321613610"
    )
    assert page.title() != "pirate"
    assert page.locator("main a[href^='javascript']").count() == 0
    assert page.locator("script", has_text="pirate").count() == 0
    # The submitter's private link shows the publication too, through the same filter.
    page.goto(url(f"/initiatives/suivi/{initiative.submitter_token}/"))
    assert "publiée" in page.locator("main").inner_text().lower()
    assert page.title() != "pirate"
    assert page.locator("main script").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0


def test_the_form_with_errors_the_private_link_and_the_staff_pages_are_accessible(page, url, login):
    from tests.factories import make_initiative

    page.goto(url("/initiatives/proposer/"))
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_load_state()
    assert "Le formulaire contient des erreurs" in page.content()
    assert axe_violations(page) == []

    initiative = make_initiative(
        status=Status.SUBMITTED,
        contacts=[("phone", "+33321613610")],
        quantities=[(1300, "visières")],
    )
    page.goto(url(f"/initiatives/suivi/{initiative.submitter_token}/"))
    assert "03 21 61 36 10" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    page.goto(url("/comptes/connexion/"))
    assert axe_violations(page) == []

    login(page, make_staff("moderateur62", moderator=["62"]))
    for path in (f"/gestion/initiatives/{initiative.pk}/", "/gestion/initiatives/nouvelle/"):
        page.goto(url(path))
        assert axe_violations(page) == [], path
