"""Passwords of 12 characters or more (Django's validators, in French) and staff sessions
that end after STAFF_SESSION_IDLE_SECONDS without a request."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from solidaire.accounts.middleware import LAST_ACTIVITY
from solidaire.accounts.models import User
from solidaire.accounts.services import invitation_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_eleven_character_password_is_refused_in_french(client, admin_user):
    invitation = invitation_create(
        email="x@prefecture.test", role="editor", departments=["62"], invited_by=admin_user
    )
    eleven = "k7#vQ9!mZp2"
    response = client.post(
        f"/comptes/invitation/{invitation.token}/",
        {"new_password1": eleven, "new_password2": eleven},
    )
    assert response.status_code == 200
    assert "Il doit contenir au minimum 12 caractères." in response.content.decode()
    assert not User.objects.filter(email="x@prefecture.test").exists()


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123", "314159265358"])
def test_common_and_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_the_test_password_passes_the_validators():
    # load_demo's accounts are set without a form (and only in development): their
    # printed passwords are not held to the validators.
    validate_password(PASSWORD, User(username="modo62", email="modo62@prefecture.test"))


def _idle(client, seconds):
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds
    session.save()


@override_settings(STAFF_SESSION_IDLE_SECONDS=2 * 3600)
def test_a_staff_session_ends_after_the_idle_period(client, moderator62):
    client.force_login(moderator62)
    assert client.get("/gestion/").status_code == 200
    _idle(client, 2 * 3600 - 120)
    assert client.get("/gestion/").status_code == 200  # still within the period
    assert client.session[LAST_ACTIVITY] >= int(time.time()) - 5  # and refreshed
    _idle(client, 2 * 3600 + 1)
    response = client.get("/gestion/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "Votre session a expiré après une période d’inactivité." in page.content.decode()
