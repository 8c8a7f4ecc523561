"""The import review in a real browser: upload a bulletin, correct, untick, create drafts."""

import re

from playwright.sync_api import expect

from solidaire.imports.models import DocumentStatus, ImportedDocument
from solidaire.initiatives.models import Initiative, Source
from solidaire.territory.finder import find_communes
from solidaire.territory.gazetteer import get_gazetteer
from tests.e2e.conftest import axe_violations
from tests.factories import make_campaign, make_staff
from tests.imports.factories import SAMPLE


def test_a_moderator_uploads_reviews_and_creates_the_drafts(page, url, login):
    # Built once per process (seconds on a busy machine): not inside the clicks' timeouts.
    get_gazetteer()
    find_communes("Liévin")
    make_campaign()
    moderator = make_staff("modo62-e2e", moderator=["62"])
    login(page, moderator)
    page.goto(url("/gestion/imports/"))
    assert axe_violations(page) == []
    page.get_by_label(re.compile("Fichier")).set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Analyser le document").click()
    page.wait_for_url(re.compile(r"/gestion/imports/\d+/$"))

    boxes = page.locator("[data-import-box]")
    expect(boxes).to_have_count(11)
    # Every entity is highlighted; the typo is resolved and says so on hover.
    expect(page.locator("mark.import-mark--commune", has_text="Calaisn")).to_have_attribute(
        "title", "62193 Calais"
    )
    expect(page.locator("mark.import-mark--person", has_text="Thomas BARRAIL")).to_be_visible()
    expect(page.locator(".import-legend")).to_contain_text("Personne privée")
    assert axe_violations(page) == []

    # Untick the fifth initiative and add a commune to the first with the autocomplete.
    fifth = page.get_by_label("Créer l'initiative 5")
    fifth.focus()
    page.keyboard.press("Space")  # DSFR draws the box over the input: use the keyboard
    expect(fifth).not_to_be_checked()
    first = boxes.nth(0)
    search = first.get_by_role("combobox")
    search.press_sequentially("Liévin", delay=30)
    # The autocomplete's options, not those of the series <select>.
    expect(page.locator("[role=option]").first).to_contain_text("Liévin", timeout=15000)
    search.press("ArrowDown")
    search.press("Enter")
    expect(first.get_by_role("button", name=re.compile("Retirer Liévin"))).to_be_visible()
    expect(first.get_by_role("button", name=re.compile("Retirer Hénin-Beaumont"))).to_be_visible()

    page.get_by_role("button", name="Créer les initiatives cochées").last.click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("10 initiatives créées")
    assert Initiative.objects.filter(source=Source.IMPORT).count() == 10
    document = ImportedDocument.objects.get()
    assert document.status == DocumentStatus.IMPORTED
    first_draft = document.imported_initiatives.get(position=0).initiative
    assert sorted(first_draft.places.values_list("commune_id", flat=True)) == ["62427", "62510"]
