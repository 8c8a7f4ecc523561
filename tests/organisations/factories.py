"""Builders for organisation tests: valid SIRETs, organisations, members, the edit POST."""

import html
import itertools

from django.utils import timezone

from solidaire.accounts.models import User
from solidaire.organisations.models import (
    MemberRole,
    Organisation,
    OrganisationInitiative,
    OrganisationMember,
    OrganisationStatus,
)
from solidaire.organisations.siret import luhn_valid
from tests.factories import PASSWORD
from tests.initiatives.factories import formset_management

_counter = itertools.count(1)
MAIRIE_CALAIS = "21620193000015"
CCAS_CALAIS = "26620193000010"


def valid_siret(prefix: str = "") -> str:
    """A Luhn-valid SIRET, different at each call unless ``prefix`` has 13 digits."""
    base = (prefix or f"8{next(_counter):08d}0001")[:13].ljust(13, "0")
    return next(base + str(d) for d in range(10) if luhn_valid(base + str(d)))


def make_organisation(
    *,
    siret=None,
    name="Association des Bénévoles",
    kind="association",
    commune="62193",
    status=OrganisationStatus.APPROVED,
    trusted=False,
) -> Organisation:
    approved = status == OrganisationStatus.APPROVED
    return Organisation.objects.create(
        siret=siret or valid_siret(),
        name=name,
        kind=kind,
        commune_id=commune,
        status=status,
        decided_at=timezone.now() if status != OrganisationStatus.PENDING else None,
        trusted=trusted and approved,
    )


def make_member(
    organisation, username, *, role=MemberRole.MANAGER, accepted=True, email=None
) -> OrganisationMember:
    user = User.objects.create_user(
        username=username,
        email=email or f"{username}@organisation.test",
        password=PASSWORD,
        first_name=username.capitalize(),
        last_name="Agent",
    )
    return OrganisationMember.objects.create(
        organisation=organisation,
        user=user,
        role=role,
        accepted_at=timezone.now() if accepted else None,
    )


def attach(initiative, organisation):
    OrganisationInitiative.objects.create(initiative=initiative, organisation=organisation)
    return initiative


def member_form(initiative, **overrides) -> dict:
    """A valid POST of the member's edit page for ``initiative``."""
    return {
        "title": initiative.title,
        "description": initiative.description,
        "campaign": str(initiative.campaign_id),
        "actor_name": initiative.actor_name,
        "actor_kind": initiative.actor_kind,
        "communes": ["62193"],
        "submitter_name": "Claire Agent",
        "submitter_email": "claire@mairie.test",
        "version": str(initiative.version),
        **formset_management("quantites", 0),
        **formset_management("contacts", 1),
        "contacts-0-kind": "url",
        "contacts-0-value": "https://example.org/",
        "consent_public_contacts": "on",
        **overrides,
    }


def text(response) -> str:
    """A page's HTML with French typography's no-break spaces read as plain ones."""
    page = html.unescape(response.content.decode())
    return page.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
