"""ProConnect sign-in against a real OpenID Connect provider on loopback (tests/oidc/).

The Django test client plays the browser on our side, requests plays it on the
provider's; mozilla-django-oidc talks to the provider over HTTP, as in production.
"""

import html
import logging
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from solidaire.accounts.models import Invitation, Membership, Role, User
from solidaire.accounts.signals import proconnect_signed_in
from tests.factories import PASSWORD
from tests.proconnect import (
    Identity,
    configure,
    local_path,
    provider_round_trip,
    sign_in,
    start_sign_in,
)

SCOPES = "openid email given_name usual_name siret"
LOGGER = "solidaire.accounts.proconnect"


@pytest.fixture
def proconnect(settings, oidc_provider):
    configure(settings, oidc_provider, "http://testserver")
    return oidc_provider


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def snapshot():
    """Every account and role, to prove a refused sign-in changed nothing."""
    return (
        list(User.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Invitation.objects.order_by("pk").values()),
    )


# --- The authorisation request ---------------------------------------------------------


def test_the_authorisation_url_carries_only_what_proconnect_documents(proconnect, client, db):
    url = start_sign_in(client)
    assert url.startswith(proconnect.issuer)
    query = parse_qs(urlsplit(url).query)
    assert set(query) == {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce"}
    assert query["response_type"] == ["code"]
    assert query["scope"] == [SCOPES]
    assert query["redirect_uri"] == ["http://testserver/comptes/proconnect/retour/"]
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32


def test_sign_in_is_absent_when_proconnect_is_off(client, db):
    assert client.get("/comptes/proconnect/connexion/").status_code == 404
    assert client.get("/comptes/proconnect/retour/?code=x&state=y").status_code == 404
    assert "ProConnect" not in client.get("/comptes/connexion/").content.decode()


# --- Linking accounts ------------------------------------------------------------------


def test_a_staff_account_is_linked_by_its_email_then_found_by_sub(proconnect, client, moderator62):
    identity = Identity(sub="agent-62-a", email="MODO62@Prefecture.TEST", given_name="Camille")
    response, _ = sign_in(client, identity)

    assert response.status_code == 302
    assert response["Location"] == "/gestion/"
    moderator62.refresh_from_db()
    assert signed_in_user(client) == moderator62
    assert moderator62.proconnect_sub == "agent-62-a"
    assert (moderator62.first_name, moderator62.last_name) == ("Camille", "Martin")
    # Roles stay the platform's.
    assert list(moderator62.memberships.values_list("department_id", "role")) == [
        ("62", Role.MODERATOR)
    ]

    # Later: found by sub, whatever the e-mail now says; names follow ProConnect.
    client.logout()
    again = Identity(sub="agent-62-a", email="camille.martin@interieur.test", usual_name="Durand")
    response, _ = sign_in(client, again)
    assert response["Location"] == "/gestion/"
    assert signed_in_user(client) == moderator62
    moderator62.refresh_from_db()
    assert moderator62.last_name == "Durand"
    assert User.objects.count() == 1


def test_an_invitation_is_accepted_with_proconnect(proconnect, client, db):
    invitation = Invitation.objects.create(
        email="nouvel.agent@prefecture.test",
        role=Role.MODERATOR,
        expires_at=timezone.now() + timedelta(days=7),
    )
    invitation.departments.set(["62"])
    page = client.get(f"/comptes/invitation/{invitation.token}/").content.decode()
    href = f"/comptes/proconnect/connexion/?invitation={invitation.token}"
    assert f'class="fr-connect fr-connect--proconnect" href="{href}"' in page

    authorize = client.get(href)["Location"]
    identity = Identity(sub="invited-1", email="n.agent@interieur.test", given_name="Noé")
    callback = provider_round_trip(authorize, identity)
    response = client.get(local_path(callback))

    assert response["Location"] == "/gestion/"
    user = User.objects.get()
    assert signed_in_user(client) == user
    # The invitation's address is the account's; ProConnect's sub links it.
    assert (user.email, user.proconnect_sub, user.first_name) == (
        "nouvel.agent@prefecture.test",
        "invited-1",
        "Noé",
    )
    assert user.is_staff and not user.has_usable_password()
    assert user.can(Role.MODERATOR, "62") and not user.can(Role.MODERATOR, "59")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    assert "Votre compte est prêt. Bienvenue !" in messages_of(response)


def test_a_used_invitation_cannot_be_accepted_again_with_proconnect(proconnect, client, db):
    invitation = Invitation.objects.create(
        email="x@prefecture.test", role=Role.EDITOR, expires_at=timezone.now() + timedelta(days=1)
    )
    authorize = client.get(f"/comptes/proconnect/connexion/?invitation={invitation.token}")
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    before = snapshot()
    # Used meanwhile (in another tab): the callback refuses it.
    authorize = authorize["Location"]
    response = client.get(
        local_path(provider_round_trip(authorize, Identity(sub="late", email="late@asso.test")))
    )
    assert response["Location"] == "/comptes/connexion/"
    assert any("invitation a expiré" in m for m in messages_of(response))
    assert snapshot() == before


def test_an_unknown_or_used_invitation_does_not_start_a_sign_in(proconnect, client, db):
    invitation = Invitation.objects.create(
        email="x@prefecture.test",
        role=Role.EDITOR,
        expires_at=timezone.now() + timedelta(days=1),
        accepted_at=timezone.now(),
    )
    for token in (invitation.token, "inconnue"):
        response = client.get(f"/comptes/proconnect/connexion/?invitation={token}")
        assert response["Location"] == "/comptes/connexion/"
        assert any("invitation a expiré" in m for m in messages_of(response))


def test_someone_unknown_gets_an_account_without_role(proconnect, client, db):
    identity = Identity(sub="mairie-arras-1", email="accueil@mairie-arras.test")
    response, _ = sign_in(client, identity)

    assert response["Location"] == "/organisation/"
    user = User.objects.get()
    assert signed_in_user(client) == user
    assert user.proconnect_sub == "mairie-arras-1"
    assert user.email == "accueil@mairie-arras.test"
    assert not user.is_staff and not user.is_superuser
    assert not user.memberships.exists() and not user.has_usable_password()


def test_a_safe_next_is_followed_and_an_unsafe_one_ignored(proconnect, client, moderator62):
    identity = Identity(sub="agent-next", email=moderator62.email)
    response, _ = sign_in(client, identity, next_url="/gestion/imports/")
    assert response["Location"] == "/gestion/imports/"
    client.logout()
    response, _ = sign_in(client, identity, next_url="https://ailleurs.example/")
    assert response["Location"] == "/gestion/"


# --- The signal ------------------------------------------------------------------------


def test_the_signal_carries_the_verified_claims(proconnect, client, db):
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    proconnect_signed_in.connect(receiver)
    try:
        sign_in(client, Identity(sub="ccas-1", email="ccas@arras.test", siret="26620041000022"))
    finally:
        proconnect_signed_in.disconnect(receiver)

    [(sender, kwargs)] = received
    assert sender is User
    assert kwargs["user"] == User.objects.get(proconnect_sub="ccas-1")
    assert kwargs["claims"]["siret"] == "26620041000022"
    assert kwargs["claims"]["email"] == "ccas@arras.test"
    assert kwargs["claims"]["sub"] == "ccas-1"
    assert kwargs["request"].path == "/comptes/proconnect/retour/"


def test_a_receiver_that_raises_undoes_the_sign_in(proconnect, client, moderator62, caplog):
    def receiver(sender, **kwargs):
        raise RuntimeError("organisation refused")

    before = snapshot()
    proconnect_signed_in.connect(receiver)
    try:
        staff, _ = sign_in(client, Identity(sub="agent-x", email=moderator62.email))
        member, _ = sign_in(client, Identity(sub="member-x", email="membre@asso.test"))
    finally:
        proconnect_signed_in.disconnect(receiver)

    for response in (staff, member):
        assert response["Location"] == "/comptes/connexion/"
        assert any("n’a pas pu aboutir" in m for m in messages_of(response))
    assert snapshot() == before
    assert signed_in_user(client) is None
    assert any(r.name == LOGGER for r in caplog.records)


def test_a_receiver_refusal_in_french_is_shown_as_it_is(proconnect, client, db):
    def receiver(sender, **kwargs):
        raise ValidationError("Le SIRET transmis n’appartient à aucune organisation connue.")

    proconnect_signed_in.connect(receiver)
    try:
        response, _ = sign_in(client, Identity(sub="org-x", email="membre@asso.test"))
    finally:
        proconnect_signed_in.disconnect(receiver)
    assert response["Location"] == "/comptes/connexion/"
    assert messages_of(response) == ["Le SIRET transmis n’appartient à aucune organisation connue."]
    assert not User.objects.exists()


# --- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode",
    [
        "rogue-key",
        "rogue-id-token",
        "wrong-audience",
        "wrong-issuer",
        "wrong-nonce",
        "json-userinfo",
        "other-sub",
    ],
)
def test_an_answer_that_fails_verification_changes_nothing(
    proconnect, client, moderator62, caplog, mode
):
    before = snapshot()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response, _ = sign_in(client, Identity(sub=f"s-{mode}", email=moderator62.email, mode=mode))

    assert response["Location"] == "/comptes/connexion/"
    assert any("n’a pas pu être vérifiée" in m for m in messages_of(response))
    assert snapshot() == before
    assert signed_in_user(client) is None
    assert [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]


@pytest.mark.parametrize("missing", ["email", "siret"])
def test_an_identity_without_email_or_siret_is_refused(proconnect, client, db, caplog, missing):
    identity = Identity(sub=f"no-{missing}", email="quelqu.un@asso.test")
    setattr(identity, missing, "")
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response, _ = sign_in(client, identity)

    assert response["Location"] == "/comptes/connexion/"
    assert any(
        "n’a pas transmis votre adresse e-mail ou le SIRET" in m for m in messages_of(response)
    )
    assert not User.objects.exists()
    assert any(r.name == LOGGER for r in caplog.records)


def test_a_wrong_state_is_refused(proconnect, client, db, caplog):
    callback = provider_round_trip(start_sign_in(client), Identity(sub="s1", email="a@asso.test"))
    forged = re.sub(r"state=[^&]+", "state=" + "x" * 48, callback)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = client.get(local_path(forged))

    assert response.status_code == 302 and response["Location"] == "/comptes/connexion/"
    assert any("a expiré ou a déjà servi" in m for m in messages_of(response))
    assert not User.objects.exists()
    assert any(r.name == LOGGER for r in caplog.records)


def test_a_replayed_callback_or_code_is_refused(proconnect, client, db, caplog):
    identity = Identity(sub="replay-1", email="a@asso.test")
    first, callback = sign_in(client, identity)
    assert first["Location"] == "/organisation/"
    user = User.objects.get()
    client.logout()
    before = snapshot()

    # The same callback again: its state was used.
    again = client.get(local_path(callback))
    assert again["Location"] == "/comptes/connexion/"
    assert any("a expiré ou a déjà servi" in m for m in messages_of(again))

    # The used code with a fresh state of this browser: the provider refuses the code.
    fresh_state = parse_qs(urlsplit(start_sign_in(client)).query)["state"][0]
    replayed = re.sub(r"state=[^&]+", f"state={fresh_state}", callback)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = client.get(local_path(replayed))
    assert response["Location"] == "/comptes/connexion/"
    assert any("refusé le code de connexion" in m for m in messages_of(response))
    assert signed_in_user(client) is None
    assert snapshot() == before and User.objects.get() == user
    assert any(r.name == LOGGER for r in caplog.records)


def test_an_error_from_the_provider_is_shown(proconnect, client, db, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response, _ = sign_in(client, Identity(sub="deny"), action="deny")
    assert response["Location"] == "/comptes/connexion/"
    assert any("a été annulée" in m for m in messages_of(response))
    assert not User.objects.exists()
    assert any("access_denied" in r.getMessage() for r in caplog.records if r.name == LOGGER)


def test_an_email_linked_to_another_sub_is_refused(proconnect, client, moderator62):
    sign_in(client, Identity(sub="first-sub", email=moderator62.email))
    client.logout()
    before = snapshot()
    response, _ = sign_in(client, Identity(sub="second-sub", email=moderator62.email.upper()))
    assert response["Location"] == "/comptes/connexion/"
    assert any("déjà liée à un autre compte ProConnect" in m for m in messages_of(response))
    assert snapshot() == before
    assert signed_in_user(client) is None


def test_an_unreachable_provider_gets_a_message(settings, client, db):
    settings.PROCONNECT_ENABLED = True
    settings.PROCONNECT_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.get("/comptes/proconnect/connexion/")
    assert response["Location"] == "/comptes/connexion/"
    assert any("ne répond pas" in m for m in messages_of(response))


# --- Logout ----------------------------------------------------------------------------


def test_logout_goes_through_proconnect_end_session(proconnect, client, db):
    sign_in(client, Identity(sub="bye-1", email="bye@asso.test"))
    id_token = client.session["oidc_id_token"]

    response = client.post("/comptes/deconnexion/")
    assert signed_in_user(client) is None
    end_session = requests.get(proconnect.discovery_url, timeout=10).json()["end_session_endpoint"]
    # A page that moves on by itself (meta refresh) and a link, to the end-session URL.
    page = response.content.decode()
    [url] = set(re.findall(r'href="(' + re.escape(end_session) + r'\?[^"]+)"', page))
    url = html.unescape(url)
    assert f'content="0;url={html.escape(url)}"' in page
    query = parse_qs(urlsplit(url).query)
    assert set(query) == {"id_token_hint", "state", "post_logout_redirect_uri"}
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/comptes/proconnect/deconnecte/"]

    # The provider's confirmation form (submitted by a script in a browser).
    browser = requests.Session()
    page = browser.get(url, timeout=10)
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    back = browser.post(
        requests.compat.urljoin(page.url, action),
        data={**fields, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    while not back.headers["Location"].startswith("http://testserver"):
        back = browser.get(back.headers["Location"], allow_redirects=False, timeout=10)
    assert parse_qs(urlsplit(back.headers["Location"]).query)["state"] == query["state"]
    landing = client.get(local_path(back.headers["Location"]))
    assert landing["Location"] == "/"
    assert "Vous êtes déconnecté(e) de ce site et de ProConnect." in messages_of(landing)


def test_a_password_session_logs_out_locally(client, moderator62):
    client.force_login(moderator62)
    response = client.post("/comptes/deconnexion/")
    assert response["Location"] == "/"
    assert signed_in_user(client) is None


# --- Local passwords -------------------------------------------------------------------


def test_without_local_passwords_only_proconnect_signs_in(
    proconnect, settings, client, moderator62
):
    settings.LOCAL_PASSWORDS = False
    page = client.get("/comptes/connexion/").content.decode()
    assert 'class="fr-connect fr-connect--proconnect"' in page
    assert 'name="password"' not in page and "Mot de passe oublié" not in page

    response = client.post(
        "/comptes/connexion/", {"username": moderator62.username, "password": "irrelevant"}
    )
    assert response.status_code == 302 and signed_in_user(client) is None
    assert any("mot de passe est désactivée" in m for m in messages_of(response))
    assert client.get("/comptes/mot-de-passe/")["Location"] == "/comptes/connexion/"
    assert client.get("/admin/login/")["Location"] == "/comptes/connexion/?next=%2Fadmin%2F"


def test_with_local_passwords_both_ways_are_offered(proconnect, client, db):
    page = client.get("/comptes/connexion/?next=/gestion/").content.decode()
    assert "S’identifier avec" in page and 'name="password"' in page
    assert 'href="/comptes/proconnect/connexion/?next=%2Fgestion%2F"' in page


def test_an_admin_unlinks_an_account_so_its_email_links_it_again(
    proconnect, client, moderator62, admin_user
):
    sign_in(client, Identity(sub="old-idp-sub", email=moderator62.email))
    admin = type(client)()
    admin.force_login(admin_user)
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "proconnect_unlink", "_selected_action": [moderator62.pk]},
    )
    assert response.status_code == 302
    moderator62.refresh_from_db()
    assert moderator62.proconnect_sub is None

    client.logout()
    response, _ = sign_in(client, Identity(sub="new-idp-sub", email=moderator62.email))
    assert response["Location"] == "/gestion/"
    moderator62.refresh_from_db()
    assert moderator62.proconnect_sub == "new-idp-sub"


def test_a_half_configured_proconnect_fails_the_system_checks(settings):
    from solidaire.accounts.checks import proconnect_settings

    settings.PROCONNECT_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_SECRET = ""
    settings.PROCONNECT_DISCOVERY_URL = ""
    assert {p.id for p in proconnect_settings()} == {"accounts.E001", "accounts.E002"}
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "id", "secret"
    settings.PROCONNECT_DISCOVERY_URL = "http://proconnect.example/.well-known/openid-configuration"
    settings.DEVELOPMENT = False
    assert [p.id for p in proconnect_settings()] == ["accounts.E003"]
    settings.DEVELOPMENT = True
    assert proconnect_settings() == []


def test_a_password_still_signs_in_beside_proconnect(proconnect, client, moderator62):
    response = client.post(
        "/comptes/connexion/", {"username": moderator62.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/gestion/"
    assert signed_in_user(client) == moderator62


def test_without_local_passwords_an_invitation_is_accepted_with_proconnect_only(
    proconnect, settings, client, db
):
    settings.LOCAL_PASSWORDS = False
    invitation = Invitation.objects.create(
        email="x@prefecture.test", role=Role.EDITOR, expires_at=timezone.now() + timedelta(days=1)
    )
    page = client.get(f"/comptes/invitation/{invitation.token}/").content.decode()
    assert "fr-connect--proconnect" in page and 'name="new_password1"' not in page
    response = client.post(
        f"/comptes/invitation/{invitation.token}/",
        {"new_password1": "un mot de passe long", "new_password2": "un mot de passe long"},
    )
    assert response.status_code == 302
    assert not User.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
