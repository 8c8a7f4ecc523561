"""Writes on organisations, their members and their initiatives."""

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from solidaire.accounts.models import User
from solidaire.initiatives.models import Actor, Initiative, ReportKind, Status
from solidaire.initiatives.services import (
    initiative_end,
    initiative_report,
    initiative_resubmit,
    initiative_submit,
    initiative_update,
    initiative_verify,
)
from solidaire.outbox.sending import delivery_enqueue
from solidaire.territory.models import Commune

from .models import (
    MemberRole,
    Organisation,
    OrganisationInitiative,
    OrganisationInvitation,
    OrganisationMember,
    OrganisationStatus,
)
from .siret import siret_valid

logger = logging.getLogger(__name__)

NO_SIRET = (
    "ProConnect n'a pas indiqué le numéro SIRET de votre organisation : aucun espace "
    "organisation n'a été ouvert. Reconnectez-vous en choisissant votre organisation."
)
BAD_SIRET = (
    "Le numéro SIRET transmis par ProConnect n'est pas valide : aucun espace organisation "
    "n'a été ouvert. Vérifiez votre organisation auprès de ProConnect."
)


@dataclass(frozen=True)
class SignInOutcome:
    """What a ProConnect sign-in did to the person's organisation: ``error`` (French) when
    nothing was done, otherwise the membership."""

    member: OrganisationMember | None = None
    created: bool = False
    error: str = ""


def _normalise_siret(value) -> str:
    return "".join(str(value or "").split())


def organisation_sign_in(*, user: User, claims: Mapping[str, Any]) -> SignInOutcome:
    """Find or create the organisation of the claims' SIRET (created pending) and the
    person's membership: accepted through an open invitation to their e-mail, or as the
    manager of an organisation nobody holds yet; otherwise a request a manager accepts.

    Runs inside the sign-in's transaction. A claim without a valid SIRET creates nothing.
    """
    raw = claims.get("siret")
    siret = _normalise_siret(raw)
    if not siret:
        logger.warning("ProConnect sign-in of user %s without a SIRET claim", user.pk)
        return SignInOutcome(error=NO_SIRET)
    if not siret_valid(siret):
        logger.warning("ProConnect sign-in of user %s with an invalid SIRET %r", user.pk, raw)
        return SignInOutcome(error=BAD_SIRET)
    email = (claims.get("email") or user.email or "").strip().lower()
    now = timezone.now()
    with transaction.atomic():
        organisation, created = Organisation.objects.get_or_create(siret=siret)
        if created:
            logger.info("Organisation %s created pending by user %s", siret, user.pk)
        member = OrganisationMember.objects.select_for_update().filter(user=user).first()
        if member is not None and member.organisation_id != organisation.pk:
            # ProConnect's SIRET is the person's establishment now: they left the other one.
            logger.info(
                "User %s moves from organisation %s to %s",
                user.pk,
                member.organisation_id,
                organisation.pk,
            )
            member.delete()
            member = None
        invitation = (
            OrganisationInvitation.objects.select_for_update()
            .filter(organisation=organisation, email__iexact=email, accepted_at__isnull=True)
            .first()
            if email
            else None
        )
        nobody_yet = not organisation.members.filter(accepted_at__isnull=False).exists()
        if member is None:
            member = OrganisationMember(organisation=organisation, user=user)
        if invitation is not None:
            if member.role != MemberRole.MANAGER:
                member.role = invitation.role
            member.accepted_at = member.accepted_at or now
            invitation.accepted_at = now
            invitation.save(update_fields=["accepted_at"])
        elif member.accepted_at is None and nobody_yet:
            member.role = MemberRole.MANAGER
            member.accepted_at = now
        member.save()
    return SignInOutcome(member=member, created=created)


def organisation_propose(
    *, organisation: Organisation, by: User, name: str, kind: str, commune: Commune | None
) -> Organisation:
    """A member of a pending organisation says what it is; the prefecture decides."""
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if current.status != OrganisationStatus.PENDING:
            raise ValidationError("Cette organisation a déjà été examinée par la préfecture.")
        current.name, current.kind, current.commune = name.strip(), kind, commune
        current.full_clean()
        current.save(update_fields=["name", "kind", "commune"])
    return current


def _decide(current: Organisation, *, by: User, status: str) -> None:
    current.status = status
    current.decided_at = timezone.now()
    current.decided_by = by


def organisation_approve(
    *, organisation: Organisation, by: User, name: str, kind: str, commune: Commune
) -> Organisation:
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        current.name, current.kind, current.commune = name.strip(), kind, commune
        current.refusal_reason = ""
        _decide(current, by=by, status=OrganisationStatus.APPROVED)
        current.full_clean()
        current.save()
    logger.info("Organisation %s approved by user %s", current.siret, by.pk)
    return current


def organisation_refuse(*, organisation: Organisation, by: User, reason: str) -> Organisation:
    if not reason.strip():
        raise ValidationError("Indiquez le motif du refus.", code="required")
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _decide(current, by=by, status=OrganisationStatus.REFUSED)
        current.refusal_reason = reason.strip()
        current.trusted = False
        current.full_clean()
        current.save()
    logger.info("Organisation %s refused by user %s", current.siret, by.pk)
    return current


def organisation_set_trusted(
    *, organisation: Organisation, by: User, trusted: bool
) -> Organisation:
    if trusted and not organisation.is_approved:
        raise ValidationError("Seule une organisation validée peut être de confiance.")
    organisation.trusted = trusted
    organisation.trusted_at = timezone.now()
    organisation.trusted_by = by
    organisation.save(update_fields=["trusted", "trusted_at", "trusted_by"])
    return organisation


def organisation_attach_initiative(
    *, organisation: Organisation, initiative: Initiative, by: User | None
) -> OrganisationInitiative:
    """Attach an initiative to an organisation (moving it from another one, if any)."""
    link, _ = OrganisationInitiative.objects.update_or_create(
        initiative=initiative, defaults={"organisation": organisation, "linked_by": by}
    )
    return link


# --- Members ----------------------------------------------------------------------------


def member_invite(
    *, organisation: Organisation, by: User, email: str, role: str = MemberRole.MEMBER
) -> OrganisationInvitation:
    """Invite a colleague: an e-mail says to sign in with ProConnect under this SIRET."""
    email = email.strip().lower()
    if OrganisationMember.objects.filter(
        organisation=organisation, user__email__iexact=email, accepted_at__isnull=False
    ).exists():
        raise ValidationError("Cette personne est déjà membre de l'organisation.", code="member")
    with transaction.atomic():
        invitation = OrganisationInvitation.objects.filter(
            organisation=organisation, email=email, accepted_at__isnull=True
        ).first()
        if invitation is None:
            invitation = OrganisationInvitation(organisation=organisation, email=email)
        invitation.role, invitation.invited_by = role, by
        invitation.full_clean(validate_constraints=False)
        invitation.save()
        # A colleague who already asked to join is accepted at once.
        waiting = OrganisationMember.objects.filter(
            organisation=organisation, user__email__iexact=email, accepted_at__isnull=True
        ).first()
        if waiting is not None:
            member_accept(member=waiting, by=by, role=role)
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        else:
            body = render_to_string(
                "organisations/email/invitation.txt",
                {
                    "organisation": organisation,
                    "by": by,
                    "link": settings.SITE_ROOT + "/organisation/",
                    "site": settings.SITE_TITLE,
                },
            )
            delivery_enqueue(
                address=email,
                kind="organisation_invitation",
                subject=f"Invitation : {organisation} — {settings.SITE_TITLE}",
                body=body,
            )
    return invitation


def member_accept(
    *, member: OrganisationMember, by: User, role: str = MemberRole.MEMBER
) -> OrganisationMember:
    if member.accepted_at is None:
        member.accepted_at = timezone.now()
        member.role = role
        member.save(update_fields=["accepted_at", "role"])
    return member


def member_remove(*, member: OrganisationMember, by: User) -> None:
    if member.user_id == by.pk:
        raise ValidationError("Vous ne pouvez pas vous retirer vous-même.")
    member.delete()


# --- Initiatives of an organisation ------------------------------------------------------


def _check_member(member: OrganisationMember, initiative: Initiative | None = None) -> None:
    if member.accepted_at is None or not member.organisation.is_approved:
        raise PermissionDenied("Votre organisation n'est pas encore validée.")
    if (
        initiative is not None
        and not OrganisationInitiative.objects.filter(
            initiative=initiative, organisation=member.organisation_id
        ).exists()
    ):
        raise PermissionDenied("Cette initiative n'est pas celle de votre organisation.")


def organisation_initiative_propose(
    *, member: OrganisationMember, form_key: str, **kwargs
) -> tuple[Initiative, bool]:
    """A member's proposal: moderated like a public one, attached to the organisation.

    ``form_key`` is the form's idempotency key (a double click proposes once); the other
    arguments are initiative_submit's.
    """
    _check_member(member)
    key = hashlib.sha256(f"organisation:{member.user_id}:{form_key}".encode()).hexdigest()
    with transaction.atomic():
        initiative, created = initiative_submit(submission_key=key, by=member.user, **kwargs)
        if created:
            organisation_attach_initiative(
                organisation=member.organisation, initiative=initiative, by=member.user
            )
    return initiative, created


# What organisation_initiative_edit did.
SAVED, LIVE, PROPOSED = "saved", "live", "proposed"
EDITABLE = (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.PUBLISHED)
REPORT_MAX = 2000


def change_report_text(differences: list[dict]) -> str:
    """A proposed change as the moderator reads it in the queue: one line per field."""
    lines = ["Modification proposée par l'organisation (la version publiée reste en ligne) :"]
    for row in differences:
        lines.append(f"- {row['label']} : « {row['stored']} » → « {row['typed']} »")
    text = "\n".join(lines)
    if len(text) > REPORT_MAX:
        text = text[: REPORT_MAX - 1] + "…"
    return text


def organisation_initiative_edit(
    *,
    member: OrganisationMember,
    initiative: Initiative,
    changes: Mapping[str, Any],
    differences: list[dict],
    resubmit: bool = False,
) -> str:
    """A member's edit of its organisation's initiative.

    An unpublished proposal is saved as its submitter would (and sent back to the
    prefecture with ``resubmit``); a published one goes live when the organisation is
    trusted (initiative_update: counts and cached pages follow), and otherwise becomes a
    change proposal in the moderators' queue (the freshness feature's "à modifier"
    report), the published version staying online. ``changes`` are initiative_update's
    arguments; ``differences`` the form's, for the proposal's text.
    """
    _check_member(member, initiative)
    if initiative.status not in EDITABLE:
        raise PermissionDenied("Cette initiative ne peut plus être modifiée.")
    changes = dict(changes)
    changes["data"] = {k: v for k, v in changes["data"].items() if k != "owner_department"}
    if initiative.status != Status.PUBLISHED:
        with transaction.atomic():
            initiative_update(
                initiative=initiative, actor=Actor.SUBMITTER, by=member.user, **changes
            )
            if resubmit and initiative.status == Status.CHANGES_REQUESTED:
                initiative_resubmit(initiative=initiative, by=member.user)
        return SAVED
    if member.organisation.trusted:
        # The prefecture's trust stands in for its moderation: the staff actor lets a
        # published initiative be edited; its owning département is never changed here.
        initiative_update(initiative=initiative, actor=Actor.STAFF, by=member.user, **changes)
        return LIVE
    if not differences:
        return SAVED
    initiative_report(
        initiative=initiative, message=change_report_text(differences), kind=ReportKind.CARRIER
    )
    return PROPOSED


def organisation_initiative_confirm(
    *, member: OrganisationMember, initiative: Initiative, ended: bool
) -> Initiative:
    """The freshness answer from the organisation's space: still active, or ended."""
    _check_member(member, initiative)
    if ended:
        return initiative_end(
            initiative=initiative,
            actor=Actor.SUBMITTER,
            by=member.user,
            message=f"Terminée, selon {member.organisation}.",
        )
    return initiative_verify(
        initiative=initiative,
        actor=Actor.SUBMITTER,
        by=member.user,
        message=f"Toujours active, selon {member.organisation}.",
    )
