import re

import pytest
from django.core import mail

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_french_and_logs_staff_in(client, moderator62):
    page = client.get("/comptes/connexion/")
    assert page.status_code == 200
    assert "Connexion à l'espace agents" in page.content.decode()
    response = client.post("/comptes/connexion/", {"username": "modo62", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/gestion/"


def test_a_wrong_password_is_refused_with_a_french_message(client, moderator62):
    response = client.post("/comptes/connexion/", {"username": "modo62", "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_logout_needs_a_post_and_ends_the_session(client, moderator62):
    client.force_login(moderator62)
    assert client.post("/comptes/deconnexion/").status_code == 302
    assert client.get("/gestion/").status_code == 302


def test_password_reset_sends_a_working_link(
    client, moderator62, django_capture_on_commit_callbacks
):
    # The message is written to the outbox ledger and leaves once the request commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comptes/mot-de-passe/", {"email": moderator62.email})
    assert response["Location"] == "/comptes/mot-de-passe/envoye/"
    link = re.search(r"http://testserver(/comptes/mot-de-passe/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Nouveau mot de passe" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "un-nouveau-secret-2026", "new_password2": "un-nouveau-secret-2026"},
    )
    assert done["Location"] == "/comptes/mot-de-passe/termine/"
    moderator62.refresh_from_db()
    assert moderator62.check_password("un-nouveau-secret-2026")
