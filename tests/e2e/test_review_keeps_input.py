"""Staff work is never lost: the review publishes what is on screen, a second saver is
told and sees both versions, a bulk publication asks first. At desktop and phone widths."""

import re

import pytest
from playwright.sync_api import expect

from solidaire.initiatives.models import Initiative, Status
from solidaire.initiatives.services import initiative_update
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative, make_staff

VIEWPORTS = [
    pytest.param({"width": 1280, "height": 900}, id="desktop"),
    pytest.param({"width": 390, "height": 844}, id="phone"),
]


def _proposal(title):
    # A public contact, so the proposal may be published whatever the contact rule says.
    return make_initiative(
        status=Status.SUBMITTED,
        title=title,
        contacts=[("phone", "+33321613610")],
        consent_public_contacts=True,
    )


def _title_field(page):
    return page.get_by_label("Titre de l'initiative")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_editing_the_title_then_publishing_publishes_the_edit(page, url, login, viewport):
    page.set_viewport_size(viewport)
    initiative = _proposal("Visières pour les soignants")
    login(page, make_staff("moderateur62", moderator=["62"]))
    page.goto(url(f"/gestion/initiatives/{initiative.pk}/"))
    assert axe_violations(page) == []

    _title_field(page).fill("Visières et masques pour les soignants de Calais")
    page.get_by_role("button", name="Publier", exact=True).first.click()
    expect(page.get_by_text("L'initiative est publiée.")).to_be_visible()

    page.goto(url(f"/initiatives/{initiative.pk}/"))
    expect(page.locator("h1")).to_have_text("Visières et masques pour les soignants de Calais")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_second_saver_sees_the_conflict_with_both_versions(page, url, login, viewport):
    page.set_viewport_size(viewport)
    initiative = _proposal("Repas pour les aînés")
    login(page, make_staff("moderateur62", moderator=["62"]))
    page.goto(url(f"/gestion/initiatives/{initiative.pk}/"))

    # A colleague saves while this page is open.
    colleague = make_staff("collegue62", moderator=["62"])
    colleague.first_name, colleague.last_name = "Claude", "Dupont"
    colleague.save()
    initiative_update(
        initiative=Initiative.objects.get(pk=initiative.pk),
        data={"title": "Repas chauds pour les aînés"},
        actor="staff",
        by=colleague,
        places=[("commune", "62193")],
        contacts=[("phone", "+33321613610")],
    )

    _title_field(page).fill("Repas livrés aux aînés")
    page.get_by_role("button", name="Enregistrer les modifications").last.click()
    alert = page.locator("#conflit")
    expect(alert).to_contain_text("Claude Dupont")
    table = page.get_by_role("table", name=re.compile("Les deux versions"))
    row = table.get_by_role("row", name=re.compile("Titre de l'initiative"))
    expect(row).to_contain_text("Repas livrés aux aînés")
    expect(row).to_contain_text("Repas chauds pour les aînés")
    expect(_title_field(page)).to_have_value("Repas livrés aux aînés")
    assert Initiative.objects.get(pk=initiative.pk).title == "Repas chauds pour les aînés"
    assert axe_violations(page) == []

    # Saving again, knowingly, applies the input.
    page.get_by_role("button", name="Enregistrer les modifications").first.click()
    expect(page.get_by_text("Les modifications sont enregistrées.")).to_be_visible()
    assert Initiative.objects.get(pk=initiative.pk).title == "Repas livrés aux aînés"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_bulk_publication_shows_the_count_and_asks_first(page, url, login, viewport):
    page.set_viewport_size(viewport)
    chosen = [_proposal("Masques cousus"), _proposal("Courses pour les voisins")]
    login(page, make_staff("moderateur62", moderator=["62"]))
    page.goto(url("/gestion/"))
    for initiative in chosen:
        box = page.locator(f"#choix-{initiative.pk}")
        box.focus()
        page.keyboard.press("Space")  # DSFR draws the box over the input: use the keyboard
        expect(box).to_be_checked()
    page.get_by_role("button", name="Publier la sélection").click()
    expect(page.locator("h1")).to_have_text("Publier la sélection")
    expect(page.get_by_role("listitem").filter(has_text="Masques cousus")).to_be_visible()
    assert Initiative.objects.filter(status=Status.PUBLISHED).count() == 0
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publier ces 2 initiatives").click()
    expect(page.get_by_text("2 initiatives publiées.")).to_be_visible()
    assert Initiative.objects.filter(status=Status.PUBLISHED).count() == 2
