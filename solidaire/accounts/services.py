"""Staff invitations (an admin invites by e-mail, the invitee sets a password or signs in
with ProConnect) and the accounts of ProConnect sign-ins."""

import logging
import re
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Invitation, Membership, User
from .signals import proconnect_signed_in

logger = logging.getLogger("solidaire.accounts.proconnect")

INVITATION_VALIDITY = timedelta(days=7)


def invitation_send(*, invitation: Invitation) -> None:
    """Write the invitation e-mail to the outbox ledger; it leaves once committed."""
    from . import tasks

    if invitation.is_usable:
        tasks.invitation_email_enqueue(invitation)


def invitation_create(*, email: str, role: str, departments, invited_by, **names) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email.strip().lower(),
            role=role,
            invited_by=invited_by,
            expires_at=timezone.now() + INVITATION_VALIDITY,
            **names,
        )
        invitation.departments.set(departments)
        invitation_send(invitation=invitation)
    return invitation


def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Create (or reactivate) the staff account and grant the invited roles."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise ValueError("invitation expired or already used")
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User(username=invitation.email, email=invitation.email)
        user.first_name = invitation.first_name or user.first_name
        user.last_name = invitation.last_name or user.last_name
        user.set_password(password)
        _invitation_grant(invitation=invitation, user=user)
    return user


def _invitation_grant(*, invitation: Invitation, user: User) -> None:
    """Make ``user`` the invited staff member: active staff with the invited roles, the
    invitation used. Runs inside the caller's transaction, the invitation locked."""
    user.is_staff = True
    user.is_active = True
    user.save()
    for department in invitation.departments.all():
        Membership.objects.get_or_create(user=user, department=department, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])


SIRET = re.compile(r"\d{14}")


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def proconnect_sign_in(*, claims: dict, invitation_token: str | None, request) -> User:
    """The account of a verified ProConnect identity, created or linked, then announced.

    Found by ``sub`` once linked. On a first sign-in: the account of the pending
    invitation being accepted, else the account with this e-mail (any case), else a new
    account with no role (an organisation's member: the organisations app grants what it
    grants). Roles and départements never come from the claims; the names do. The
    ``proconnect_signed_in`` signal runs in the same transaction: a receiver that raises
    undoes the whole sign-in. Raises ProConnectError.
    """
    from .proconnect import ProConnectError

    sub, email, siret = _claim(claims, "sub"), _claim(claims, "email"), _claim(claims, "siret")
    if len(sub) > User._meta.get_field("proconnect_sub").max_length:
        raise ProConnectError("verification", "sub too long")
    if not sub or not email or not siret:
        raise ProConnectError(
            "missing_claims", f"sub={bool(sub)} email={bool(email)} siret={bool(siret)}"
        )
    try:
        if len(email) > User._meta.get_field("email").max_length:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError as error:
        raise ProConnectError("missing_claims", "malformed e-mail") from error
    if not SIRET.fullmatch(siret):
        raise ProConnectError("missing_claims", "malformed SIRET")

    try:
        user, how = _proconnect_account(
            sub=sub, email=email, claims=claims, invitation_token=invitation_token, request=request
        )
    except IntegrityError as error:
        # The same person's first sign-in twice at once (two tabs): the other one won.
        raise ProConnectError("refused", f"concurrent sign-in: {error}") from error
    logger.info("ProConnect sign-in of user %s (matched by %s)", user.pk, how)
    return user


def _proconnect_account(*, sub, email, claims, invitation_token, request) -> tuple[User, str]:
    from .proconnect import ProConnectError

    with transaction.atomic():
        invitation = None
        if invitation_token:
            invitation = (
                Invitation.objects.select_for_update().filter(token=invitation_token).first()
            )
            if invitation is None or not invitation.is_usable:
                raise ProConnectError("invitation", "invitation unknown, expired or used")
        user = User.objects.select_for_update().filter(proconnect_sub=sub).first()
        how = "sub"
        if user is None:
            # The invitation's address is the platform's; without one, the claim's.
            address = invitation.email if invitation else email
            user = User.objects.select_for_update().filter(email__iexact=address).first()
            how = "invitation" if invitation else "e-mail"
            if user is not None and user.proconnect_sub:
                raise ProConnectError("email_taken", f"user {user.pk} is linked to another sub")
            if user is None:
                how = "invitation" if invitation else "created"
                user = User(username=_free_username(address), email=address)
                user.set_unusable_password()
            user.proconnect_sub = sub
        elif (
            email.lower() != user.email.lower()
            and not invitation
            and not User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        ):
            # A linked account follows its ProConnect address, unless another account has it.
            user.email = email
        if not user.is_active and not invitation:
            raise ProConnectError("inactive", f"user {user.pk} is inactive")
        user.first_name = _claim(claims, "given_name")[:150] or user.first_name
        user.last_name = _claim(claims, "usual_name")[:150] or user.last_name
        user.save()
        if invitation:
            _invitation_grant(invitation=invitation, user=user)
        try:
            proconnect_signed_in.send(sender=User, user=user, claims=dict(claims), request=request)
        except ValidationError as error:
            # A receiver's own French refusal, shown as it is.
            logger.warning("A proconnect_signed_in receiver refused user %s: %s", user.pk, error)
            raise ProConnectError("refused", "receiver", message=error.messages[0]) from error
        except Exception as error:
            logger.exception("A proconnect_signed_in receiver refused user %s", user.pk)
            raise ProConnectError("refused", f"receiver: {error}") from error
    return user, how


def _free_username(email: str) -> str:
    username = email.lower()[:150]
    if not User.objects.filter(username=username).exists():
        return username
    return f"proconnect-{secrets.token_hex(8)}"
