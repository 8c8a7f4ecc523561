"""The organisation's space in Chromium, at 1280 and 390 px, axe clean on every page.

Members sign in through ProConnect: the OpenID Connect provider of the tests (tests/oidc/)
on loopback. An invited mairie member edits its organisation's initiative and finds
"Ajouter une initiative" on its commune's page; a new SIRET's member sees the waiting
page; the prefecture approves (its moderator's session opened directly).
"""

import re

import pytest

from solidaire.initiatives.models import Initiative
from solidaire.organisations.models import (
    Organisation,
    OrganisationInvitation,
    OrganisationMember,
    OrganisationStatus,
)
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative
from tests.organisations.factories import (
    MAIRIE_CALAIS,
    attach,
    make_member,
    make_organisation,
    valid_siret,
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])


def sign_in_with_proconnect(page, url, *, sub, email, siret):
    page.goto(url("/comptes/connexion/"))
    page.get_by_role("link", name=re.compile("S’identifier avec ProConnect")).click()
    page.get_by_role("heading", name="Fournisseur d’identité de test").wait_for()
    page.fill("#sub", sub)
    page.fill("#email", email)
    page.fill("#given_name", "Claire")
    page.fill("#usual_name", "Agent")
    page.fill("#siret", siret)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(url("/organisation/"))


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@VIEWPORTS
def test_a_mairie_member_edits_its_initiative(page, url, provider, viewport):
    organisation = make_organisation(
        siret=MAIRIE_CALAIS, name="Mairie de Calais", kind="mairie", trusted=True
    )
    manager = make_member(organisation, "maire")
    OrganisationInvitation.objects.create(
        organisation=organisation, email="claire@mairie-calais.test", invited_by=manager.user
    )
    initiative = attach(
        make_initiative(
            title="Visières pour les soignants", contacts=(("url", "https://example.org/"),)
        ),
        organisation,
    )
    theirs = make_initiative(title="Celle d'une autre organisation")
    attach(theirs, make_organisation(name="Autre"))
    page.set_viewport_size(viewport)
    sign_in_with_proconnect(
        page, url, sub="claire-calais", email="claire@mairie-calais.test", siret=MAIRIE_CALAIS
    )
    page.get_by_role("heading", name="Mairie de Calais", level=1).wait_for()
    member = OrganisationMember.objects.get(user__email="claire@mairie-calais.test")
    assert member.organisation == organisation and member.accepted_at is not None
    assert "Celle d'une autre organisation" not in page.content()
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="Modifier : Visières pour les soignants").click()
    page.get_by_role("heading", name="Modifier l'initiative").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Titre de l'initiative").fill("Visières et blouses pour les soignants")
    page.get_by_label("Personne à contacter dans l'organisation").fill("Claire Agent")
    page.get_by_label("Son adresse e-mail").fill("claire@mairie.test")
    page.get_by_role("button", name="Enregistrer").click()
    # Its public contact needs the consent the imported row never recorded: said, kept.
    page.get_by_text("Cochez cette case pour que les contacts publics").first.wait_for()
    assert axe_violations(page) == []
    assert page.get_by_label("Titre de l'initiative").input_value() == (
        "Visières et blouses pour les soignants"
    )
    page.get_by_label("J'accepte que les contacts publics").check(force=True)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Vos modifications sont en ligne").wait_for()
    assert Initiative.objects.get(pk=initiative.pk).title == (
        "Visières et blouses pour les soignants"
    )
    # Another organisation's initiative: a 404 page.
    response = page.goto(url(f"/organisation/initiatives/{theirs.pk}/modifier/"))
    assert response.status == 404
    # The commune's page as the public sees it, plus the member's button.
    page.goto(url("/communes/62193/"))
    page.get_by_role("link", name="Ajouter une initiative").click()
    page.get_by_role("heading", name="Proposer une initiative").wait_for()
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)


@VIEWPORTS
def test_a_pending_member_waits_and_the_prefecture_approves(
    page, url, login, provider, viewport, moderator62
):
    siret = valid_siret("2662019300001")
    page.set_viewport_size(viewport)
    sign_in_with_proconnect(page, url, sub="lea-ccas", email="lea@ccas-calais.test", siret=siret)
    page.get_by_role("heading", name="Demande en cours d'examen").wait_for()
    organisation = Organisation.objects.get(siret=siret)
    assert organisation.status == OrganisationStatus.PENDING
    page.get_by_role("button", name="Envoyer à la préfecture").click()
    page.get_by_text("Indiquez le nom de l'organisation.").first.wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Nom de l'organisation").fill("CCAS de Calais")
    page.get_by_label("Type d'organisation").select_option("ccas")
    page.get_by_label("Commune du siège").fill("62100")
    page.get_by_role("button", name="Envoyer à la préfecture").click()
    page.get_by_text("la préfecture en tiendra compte").wait_for()
    assert Organisation.objects.get(pk=organisation.pk).commune_id == "62193"

    page.context.clear_cookies()
    login(page, moderator62)
    page.goto(url("/gestion/organisations/"))
    page.get_by_role("link", name="CCAS de Calais").click()
    page.get_by_role("heading", name="CCAS de Calais", level=1).wait_for()
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Valider l'organisation").click()
    page.get_by_text("L'organisation est validée").wait_for()
    assert Organisation.objects.get(pk=organisation.pk).status == OrganisationStatus.APPROVED
    page.goto(url("/gestion/organisations/?statut=approved"))
    assert axe_violations(page) == []
