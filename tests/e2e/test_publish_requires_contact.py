"""A moderator cannot publish an initiative that gives no way to act, then adds the mairie."""

import re

import pytest
from playwright.sync_api import expect

from solidaire.initiatives.models import Initiative, Status
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative, make_staff

ANNUAIRE = re.compile(r"^https://lannuaire\.service-public\.fr/navigation/mairie\?where=62193$")


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["1280", "390"]
)
def test_publishing_without_contact_is_refused_until_the_mairie_is_added(
    page, url, login, viewport
):
    page.set_viewport_size(viewport)
    initiative = make_initiative(
        title="Courses livrées aux aînés de Calais",
        status=Status.SUBMITTED,
        contacts=[],
        consent_public_contacts=True,
    )
    login(page, make_staff("moderateur62", moderator=["62"]))
    page.goto(url(f"/gestion/initiatives/{initiative.pk}/"))

    page.get_by_role("button", name="Publier", exact=True).first.click()
    alert = page.get_by_text("Ajoutez au moins un contact public")
    expect(alert).to_be_visible()
    assert "auprès de la mairie" in alert.inner_text()
    assert axe_violations(page) == []
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED

    page.get_by_label("Type de contact").first.select_option(label="Auprès de la mairie")
    page.get_by_label("Contact public").first.fill("Calais")
    page.get_by_role("button", name="Enregistrer les modifications").first.click()
    expect(page.get_by_text("Les modifications sont enregistrées.")).to_be_visible()
    page.get_by_role("button", name="Publier", exact=True).first.click()
    expect(page.get_by_text("L'initiative est publiée.")).to_be_visible()
    assert axe_violations(page) == []
    assert Initiative.objects.get(pk=initiative.pk).status == Status.PUBLISHED

    page.goto(url(initiative.get_absolute_url()))
    link = page.get_by_role("link", name="Auprès de la mairie de Calais")
    expect(link).to_be_visible()
    assert ANNUAIRE.match(link.get_attribute("href"))
    assert axe_violations(page) == []
