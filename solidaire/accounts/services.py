"""Staff invitations: an admin invites by e-mail, the invitee sets a password."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Invitation, Membership, User

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
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        for department in invitation.departments.all():
            Membership.objects.get_or_create(user=user, department=department, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
    return user
