import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from solidaire.accounts.models import Invitation, User
from solidaire.accounts.services import invitation_create

pytestmark = pytest.mark.django_db


def test_an_admin_invites_staff_from_the_admin_and_the_invitee_sets_a_password(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/invitation/add/",
            {
                "email": "nouvelle.agente@prefecture.test",
                "first_name": "Nora",
                "last_name": "Agente",
                "role": "moderator",
                "departments": ["62", "59"],
                "expires_at_0": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
                "expires_at_1": "12:00:00",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get()
    assert invitation.invited_by == admin_user
    link = re.search(r"http://127\.0\.0\.1:8000(/comptes/invitation/\S+/)", mail.outbox[0].body)
    client.logout()
    page = client.get(link.group(1))
    assert page.status_code == 200
    accepted = client.post(
        link.group(1),
        {"new_password1": "secret-de-nora-2026", "new_password2": "secret-de-nora-2026"},
    )
    assert accepted.status_code == 302
    user = User.objects.get(email="nouvelle.agente@prefecture.test")
    assert user.check_password("secret-de-nora-2026")
    assert user.can("moderator", "62") and user.can("moderator", "59")
    assert not user.can("editor", "62")
    assert client.get("/gestion/").status_code == 200  # logged in
    assert client.get(link.group(1)).status_code == 410  # used once


def test_an_expired_invitation_is_refused(client, admin_user):
    invitation = invitation_create(
        email="tard@prefecture.test", role="editor", departments=["62"], invited_by=admin_user
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.post(
        f"/comptes/invitation/{invitation.token}/",
        {"new_password1": "secret-de-nora-2026", "new_password2": "secret-de-nora-2026"},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="tard@prefecture.test").exists()


def test_a_weak_password_is_refused_in_french(client, admin_user):
    invitation = invitation_create(
        email="x@prefecture.test", role="editor", departments=["62"], invited_by=admin_user
    )
    response = client.post(
        f"/comptes/invitation/{invitation.token}/",
        {"new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()
    assert not User.objects.filter(email="x@prefecture.test").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/",
        "/admin/accounts/membership/",
        "/admin/accounts/invitation/add/",
        "/admin/initiatives/campaign/add/",
        "/admin/initiatives/theme/",
        "/admin/initiatives/initiative/",
    ],
)
def test_the_admin_manages_users_roles_campaigns_and_themes(client, admin_user, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 200


def test_a_moderator_has_no_access_to_the_admin_of_users(client, moderator62):
    client.force_login(moderator62)
    assert client.get("/admin/accounts/user/").status_code == 403
