"""Shared fixtures: the reference geography (loaded once per session) and the personas.

Personas, as in every staff-view test:
- visitor: anonymous client;
- submitter: holds the private link of an initiative they proposed (submitted; another
  status through indirect parametrisation: ``parametrize("submitter", [...], indirect=True)``);
- moderator62 / moderator59: moderators of the Pas-de-Calais / the Nord;
- editor: editor of the 62;
- admin_user: superuser;
- mairie_member / ccas_member: the signed-in manager (``.client``, ``.user``,
  ``.organisation``) of the approved mairie of Calais / CCAS of Calais.
"""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

from solidaire.initiatives.models import Initiative, Status
from tests.factories import make_initiative, make_staff

# The OpenID Connect provider on loopback (tests/oidc/), started once per session by the
# first test that asks for it.
pytest_plugins = ["tests.proconnect"]

TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    # Every test client builds its own middleware; WhiteNoise would list and stat all the
    # static files each time (half a second per test). It looks them up on request instead.
    "WHITENOISE_AUTOREFRESH": True,
}


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    with override_settings(**TEST_SETTINGS):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 34,875 communes once; test transactions roll back above them."""
    with django_db_blocker.unblock():
        call_command("load_territory", verbosity=0)
    # Enabled once the tables exist: the router would stop migrate from creating them.
    with override_settings(DATABASE_ROUTERS=["tests.database.KeepReferenceRouter"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and cached reference data must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def visitor(client):
    return client


@dataclass(frozen=True)
class Submitter:
    """A visitor's client and the proposal whose private follow link it holds."""

    client: Client
    initiative: Initiative

    def link(self, action: str = "") -> str:
        """The private link, or one of its actions ("modifier/", "retirer/"…)."""
        return f"/initiatives/suivi/{self.initiative.submitter_token}/{action}"


@pytest.fixture
def submitter(request, db, client):
    status = getattr(request, "param", Status.SUBMITTED)
    return Submitter(client=client, initiative=make_initiative(status=status))


@pytest.fixture
def moderator62(db):
    return make_staff("modo62", moderator=["62"])


@pytest.fixture
def moderator59(db):
    return make_staff("modo59", moderator=["59"])


@pytest.fixture
def editor(db):
    return make_staff("editeur62", editor=["62"])


@pytest.fixture
def admin_user(db):
    return make_staff("admin", superuser=True)


@dataclass(frozen=True)
class Member:
    """A signed-in organisation member's client, their account and their organisation."""

    client: Client
    member: object

    @property
    def user(self):
        return self.member.user

    @property
    def organisation(self):
        return self.member.organisation


def _member(kind, siret, name, username):
    from tests.organisations.factories import make_member, make_organisation

    organisation = make_organisation(siret=siret, name=name, kind=kind, commune="62193")
    member = make_member(organisation, username)
    client = Client()
    client.force_login(member.user)
    return Member(client=client, member=member)


@pytest.fixture
def mairie_member(db):
    from tests.organisations.factories import MAIRIE_CALAIS

    return _member("mairie", MAIRIE_CALAIS, "Mairie de Calais", "claire")


@pytest.fixture
def ccas_member(db):
    from tests.organisations.factories import CCAS_CALAIS

    return _member("ccas", CCAS_CALAIS, "CCAS de Calais", "camille")
