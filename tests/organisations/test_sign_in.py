"""The receiver of the accounts' ProConnect signal: the organisation of the SIRET claim
(created pending) and the person's membership; nothing granted without an approval."""

import logging

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from solidaire.accounts.models import User
from solidaire.accounts.signals import proconnect_signed_in
from solidaire.organisations.models import (
    MemberRole,
    Organisation,
    OrganisationInvitation,
    OrganisationMember,
    OrganisationStatus,
)
from tests.factories import make_staff
from tests.organisations.factories import CCAS_CALAIS, make_member, make_organisation

pytestmark = pytest.mark.django_db


def _request():
    request = RequestFactory().get("/oidc/callback/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def sign_in(user, **claims):
    request = _request()
    claims = {"email": user.email, "given_name": "Léa", "usual_name": "Martin", **claims}
    proconnect_signed_in.send(sender=User, user=user, claims=claims, request=request)
    return request


def person(username="lea"):
    return User.objects.create_user(username=username, email=f"{username}@ccas-calais.test")


def test_a_new_siret_creates_a_pending_organisation_and_its_first_manager():
    user = person()
    sign_in(user, siret=CCAS_CALAIS)
    organisation = Organisation.objects.get(siret=CCAS_CALAIS)
    assert organisation.status == OrganisationStatus.PENDING
    assert organisation.commune is None and not organisation.trusted
    member = OrganisationMember.objects.get(user=user)
    assert member.organisation == organisation
    assert member.role == MemberRole.MANAGER and member.accepted_at is not None


def test_signing_in_again_changes_nothing():
    user = person()
    sign_in(user, siret=CCAS_CALAIS)
    sign_in(user, siret=f" {CCAS_CALAIS[:5]} {CCAS_CALAIS[5:]} ")
    assert Organisation.objects.count() == 1
    assert OrganisationMember.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({}, "n'a pas indiqué le numéro SIRET"),
        ({"siret": ""}, "n'a pas indiqué le numéro SIRET"),
        ({"siret": "26620193000011"}, "SIRET transmis par ProConnect n'est pas valide"),
        ({"siret": "1234"}, "SIRET transmis par ProConnect n'est pas valide"),
        ({"siret": ["26620193000010"]}, "SIRET transmis par ProConnect n'est pas valide"),
    ],
)
def test_a_claim_without_a_valid_siret_refuses_the_sign_in_in_french(claims, message, caplog):
    # The accounts app shows the refusal's message and rolls the sign-in back.
    user = person()
    logger = "solidaire.organisations.services"
    with caplog.at_level(logging.WARNING, logger=logger), pytest.raises(ValidationError) as refused:
        sign_in(user, **claims)
    assert message in refused.value.messages[0]
    assert not Organisation.objects.exists()
    assert not OrganisationMember.objects.exists()
    assert any("SIRET" in record.getMessage() for record in caplog.records)


def test_a_colleague_of_an_approved_organisation_is_granted_nothing_without_an_invitation():
    organisation = make_organisation(siret=CCAS_CALAIS, kind="ccas", name="CCAS de Calais")
    make_member(organisation, "claire")
    user = person("intrus")
    sign_in(user, siret=CCAS_CALAIS)
    member = OrganisationMember.objects.get(user=user)
    assert member.accepted_at is None and member.role == MemberRole.MEMBER


def test_an_invitation_to_the_same_siret_and_email_is_accepted_at_sign_in():
    organisation = make_organisation(siret=CCAS_CALAIS, kind="ccas", name="CCAS de Calais")
    manager = make_member(organisation, "claire")
    invitation = OrganisationInvitation.objects.create(
        organisation=organisation, email="lea@ccas-calais.test", invited_by=manager.user
    )
    user = person()
    sign_in(user, siret=CCAS_CALAIS, email="Lea@CCAS-Calais.test")
    member = OrganisationMember.objects.get(user=user)
    assert member.accepted_at is not None and member.role == MemberRole.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_an_invitation_is_not_accepted_under_another_siret():
    organisation = make_organisation(siret=CCAS_CALAIS, kind="ccas", name="CCAS de Calais")
    manager = make_member(organisation, "claire")
    OrganisationInvitation.objects.create(
        organisation=organisation, email="lea@ccas-calais.test", invited_by=manager.user
    )
    other = make_organisation(name="Autre")
    make_member(other, "autre")
    user = person()
    sign_in(user, siret=other.siret)
    assert OrganisationMember.objects.get(user=user).accepted_at is None
    assert OrganisationInvitation.objects.get().accepted_at is None


def test_a_sign_in_under_a_new_siret_moves_the_person():
    old = make_organisation(name="Ancienne")
    member = make_member(old, "lea")
    sign_in(member.user, siret=CCAS_CALAIS)
    assert OrganisationMember.objects.get(user=member.user).organisation.siret == CCAS_CALAIS


def test_prefecture_staff_get_no_organisation():
    sign_in(make_staff("modo62", moderator=["62"]), siret=CCAS_CALAIS)
    assert not Organisation.objects.exists()
