"""Every password form resists guessing: failures counted per account and per client
address (solidaire/accounts/throttle.py), a French message, a 429 and a log line."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from solidaire.accounts.models import Invitation
from solidaire.accounts.services import invitation_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URLS = ["/comptes/connexion/", "/admin/login/"]
# The window ends anywhere in the next hour: "dans 42 minutes", or "dans 1 heure" near its start.
WAIT = re.compile(r"Trop de tentatives [^<]*, réessayez dans \d+ (?:minute|heure)s?")


def _login(client, url, username, password):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("url", LOGIN_URLS)
@override_settings(LOGIN_ACCOUNT_RATE_LIMIT="3/15m", LOGIN_ADDRESS_RATE_LIMIT="100/15m")
def test_a_login_form_blocks_an_account_after_its_failures_even_with_the_right_password(
    client, admin_user, url, caplog
):
    for _ in range(3):
        assert _login(client, url, "admin", "mauvais-mot-de-passe").status_code == 200
    with caplog.at_level(logging.WARNING, logger="solidaire.security"):
        blocked = _login(client, url, "admin", PASSWORD)
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 15 * 60
    html = blocked.content.decode()
    assert WAIT.search(html), html[:3000]
    assert 'name="password"' in html  # the form, shown again
    assert "_auth_user_id" not in client.session
    # The account is blocked from anywhere, whatever the case of the name typed.
    assert _login(Client(REMOTE_ADDR="203.0.113.9"), url, "Admin ", PASSWORD).status_code == 429
    logged = [r.getMessage() for r in caplog.records if r.name == "solidaire.security"]
    assert len(logged) == 2  # one line per blocked attempt
    assert logged[0].startswith("login throttled: account='admin' address=127.0.0.1 retry_after=")


@override_settings(LOGIN_ACCOUNT_RATE_LIMIT="3/15m", LOGIN_ADDRESS_RATE_LIMIT="100/15m")
def test_the_staff_login_and_the_admin_login_share_their_count(client, admin_user):
    for url in LOGIN_URLS + LOGIN_URLS[:1]:
        _login(client, url, "admin", "mauvais-mot-de-passe")
    assert _login(client, LOGIN_URLS[1], "admin", PASSWORD).status_code == 429


@override_settings(LOGIN_ACCOUNT_RATE_LIMIT="100/15m", LOGIN_ADDRESS_RATE_LIMIT="3/15m")
def test_a_login_form_blocks_an_address_trying_many_accounts(client, moderator62):
    for name in ("alice", "bob", "carole"):
        assert _login(client, LOGIN_URLS[0], name, "mauvais-mot-de-passe").status_code == 200
    assert _login(client, LOGIN_URLS[0], "modo62", PASSWORD).status_code == 429
    # Another address logs the same account in.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert _login(other, LOGIN_URLS[0], "modo62", PASSWORD).status_code == 302


@override_settings(LOGIN_ACCOUNT_RATE_LIMIT="3/15m", LOGIN_ADDRESS_RATE_LIMIT="3/15m")
def test_successful_logins_do_not_count(client, moderator62):
    for _ in range(5):
        assert _login(Client(), LOGIN_URLS[0], "modo62", PASSWORD).status_code == 302


@override_settings(PASSWORD_RESET_RATE_LIMIT="2/h")
def test_the_password_reset_form_is_throttled_per_address_and_per_email(
    client, moderator62, django_capture_on_commit_callbacks
):
    url = "/comptes/mot-de-passe/"
    with django_capture_on_commit_callbacks(execute=True):
        codes = [client.post(url, {"email": moderator62.email}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2
    assert WAIT.search(client.post(url, {"email": "autre@prefecture.test"}).content.decode())
    # The mailbox is protected from every address.
    other = Client(REMOTE_ADDR="203.0.113.9")
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(url, {"email": moderator62.email.upper()}).status_code == 429
    assert len(mail.outbox) == 2


@override_settings(INVITATION_RATE_LIMIT="2/h")
def test_the_invitation_form_is_throttled(client, admin_user):
    invitation = invitation_create(
        email="nora@prefecture.test", role="editor", departments=["62"], invited_by=admin_user
    )
    url = f"/comptes/invitation/{invitation.token}/"
    weak = {"new_password1": "court", "new_password2": "court"}
    assert [client.post(url, weak).status_code for _ in range(2)] == [200, 200]
    strong = {"new_password1": "secret-de-nora-2026", "new_password2": "secret-de-nora-2026"}
    blocked = client.post(url, strong)
    assert blocked.status_code == 429
    assert WAIT.search(blocked.content.decode())
    assert Invitation.objects.get().accepted_at is None


@override_settings(INVITATION_RATE_LIMIT="2/h")
def test_guessing_invitation_tokens_is_throttled(client):
    codes = [client.get(f"/comptes/invitation/jeton-{n}/").status_code for n in range(3)]
    assert codes == [404, 404, 429]
