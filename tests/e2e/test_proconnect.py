"""ProConnect sign-in in Chromium, through the OpenID Connect provider of the tests
(tests/oidc/) on loopback: a moderator signs in and out; a tampered userinfo and a
replayed code are refused with the French message; the login and invitation pages are
axe-clean at 1280 and 390 px."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from solidaire.accounts.models import Invitation, Role, User
from tests.e2e.conftest import axe_violations
from tests.factories import make_staff
from tests.proconnect import CALLBACK_PATH

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])


def sign_in_at_provider(page, *, sub, email, mode="normal"):
    page.get_by_role("heading", name="Fournisseur d’identité de test").wait_for()
    page.fill("#sub", sub)
    page.fill("#email", email)
    page.fill("#given_name", "Camille")
    page.fill("#usual_name", "Martin")
    page.fill("#siret", "13000000000013")
    page.select_option("#mode", mode)
    page.get_by_role("button", name="Se connecter").click()


def proconnect_button(page):
    return page.get_by_role("link", name=re.compile("S’identifier avec ProConnect"))


@VIEWPORTS
def test_a_moderator_signs_in_and_out_through_proconnect(page, url, provider, viewport):
    moderator = make_staff("modo62", moderator=["62"])
    page.set_viewport_size(viewport)
    page.goto(url("/comptes/connexion/"))
    assert axe_violations(page) == []
    button = proconnect_button(page)
    assert button.bounding_box()["y"] + 40 < viewport["height"]  # in the first screen
    button.click()

    sign_in_at_provider(page, sub="agent-modo62", email=moderator.email)
    page.wait_for_url(url("/gestion/"))
    page.get_by_role("button", name="Se déconnecter").wait_for()
    moderator.refresh_from_db()
    assert moderator.proconnect_sub == "agent-modo62"

    # Logout goes through ProConnect's end-session page and comes back home.
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_text("Vous êtes déconnecté(e) de ce site et de ProConnect.").wait_for()
    assert urlsplit(page.url).path == "/"


def test_a_tampered_userinfo_is_refused(page, url, provider):
    # One width: the login page is checked at both by the sign-in test above.
    moderator = make_staff("modo62", moderator=["62"])
    page.goto(url("/comptes/connexion/"))
    proconnect_button(page).click()
    sign_in_at_provider(page, sub="agent-tampered", email=moderator.email, mode="rogue-key")

    page.wait_for_url(url("/comptes/connexion/"))
    page.get_by_text("La réponse de ProConnect n’a pas pu être vérifiée").wait_for()
    assert axe_violations(page) == []
    moderator.refresh_from_db()
    assert moderator.proconnect_sub is None
    assert User.objects.count() == 1


def test_a_replayed_code_is_refused(page, url, provider, context):
    make_staff("modo62", moderator=["62"])
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(url("/comptes/connexion/"))
    proconnect_button(page).click()
    sign_in_at_provider(page, sub="agent-replay", email="modo62@prefecture.test")
    page.wait_for_url(url("/gestion/"))
    [callback] = [u for u in seen if CALLBACK_PATH in u]

    # Signed out, the same callback again: its state was spent.
    context.clear_cookies()
    page.goto(callback)
    page.get_by_text("Cette connexion ProConnect a expiré ou a déjà servi").wait_for()

    # A new sign-in's state with the spent code: the provider refuses the code.
    seen.clear()
    proconnect_button(page).click()
    page.get_by_role("heading", name="Fournisseur d’identité de test").wait_for()
    [authorize] = [u for u in seen if u.startswith(provider.issuer + "/auth?")]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    page.goto(re.sub(r"state=[^&]+", f"state={state}", callback))
    page.get_by_text("ProConnect a refusé le code de connexion").wait_for()
    assert axe_violations(page) == []
    page.goto(url("/gestion/"))
    assert urlsplit(page.url).path == "/comptes/connexion/"  # not signed in


@VIEWPORTS
def test_the_invitation_page_offers_proconnect(page, url, provider, viewport):
    invitation = Invitation.objects.create(
        email="nouvel.agent@prefecture.test",
        role=Role.EDITOR,
        expires_at=timezone.now() + timedelta(days=7),
    )
    invitation.departments.set(["62"])
    page.set_viewport_size(viewport)
    page.goto(url(f"/comptes/invitation/{invitation.token}/"))
    assert axe_violations(page) == []
    proconnect_button(page).click()
    sign_in_at_provider(page, sub="invited-e2e", email="n.agent@interieur.test")
    page.wait_for_url(url("/gestion/"))
    page.get_by_text("Votre compte est prêt. Bienvenue !").wait_for()
    user = User.objects.get(proconnect_sub="invited-e2e")
    assert user.email == "nouvel.agent@prefecture.test" and user.can(Role.EDITOR, "62")
