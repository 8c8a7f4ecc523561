"""A moderator erases a submitter's data from the review page: form, preview, done."""

import pytest
from playwright.sync_api import expect

from solidaire.initiatives.models import Initiative
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative, make_staff

NAME = "Jérémie Dupont-Lefèvre"


@pytest.mark.django_db(transaction=True)
def test_a_moderator_erases_a_submitter_from_the_review_page(page, url, login):
    initiative = make_initiative(
        title=f"Les visières de {NAME}",
        submitter_name=NAME,
        submitter_email="jeremie@exemple.fr",
        submitter_phone="+33321320000",
    )
    login(page, make_staff("modo62", moderator=["62"]))
    page.goto(url(f"/gestion/initiatives/{initiative.pk}/"))
    page.get_by_role("link", name="Effacer les données personnelles").click()
    expect(page.locator("h1")).to_have_text("Effacer les données personnelles")
    expect(page.get_by_label("Prénom et nom")).to_have_value(NAME)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Continuer").click()
    expect(page.locator(".fr-alert--warning")).to_contain_text("Textes d’initiatives : 1")
    assert axe_violations(page) == []
    assert Initiative.objects.get(pk=initiative.pk).submitter_name == NAME

    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text(
        "Les données personnelles sont effacées"
    )
    expect(page.locator("h1")).to_have_text("Les visières de [nom effacé]")
    assert Initiative.objects.get(pk=initiative.pk).submitter_name == ""
