"""Organisations (mairies, CCAS, EPCI, associations, companies) and their members.

An organisation is known by the SIRET of ProConnect's ``siret`` claim only: nobody types
one. It belongs to the département of its commune, whose prefecture approves it, may mark
it trusted (its edits of published initiatives then go live), and moderates its proposals.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Length, Replace
from django.db.models.lookups import Exact

from .siret import validate_siret


def _without_digits(expression):
    for digit in "0123456789":
        expression = Replace(expression, Value(digit), Value(""))
    return expression


# Fourteen digits, in SQL that SQLite's own tools read too: a REGEXP check would need
# Django's function, and `sqlite3` (backups, restores, PRAGMA integrity_check) has none.
SIRET_14_DIGITS = Q(Exact(Length("siret"), 14)) & Q(Exact(_without_digits(F("siret")), Value("")))


class Kind(models.TextChoices):
    MAIRIE = "mairie", "Mairie"
    CCAS = "ccas", "CCAS"
    EPCI = "epci", "Intercommunalité (EPCI)"
    ASSOCIATION = "association", "Association"
    COMPANY = "company", "Entreprise"


# The initiative's "type de porteur" an organisation's kind proposes.
ACTOR_KIND = {
    Kind.MAIRIE: "municipality",
    Kind.CCAS: "municipality",
    Kind.EPCI: "intercommunality",
    Kind.ASSOCIATION: "association",
    Kind.COMPANY: "company",
}


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", "En cours d'examen"
    APPROVED = "approved", "Validée"
    REFUSED = "refused", "Refusée"


class Organisation(models.Model):
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    # Proposed by the first member while pending, completed by the prefecture.
    name = models.CharField("nom", max_length=200, blank=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    status = models.CharField(
        "statut",
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.PENDING,
        db_index=True,
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    refusal_reason = models.TextField("motif du refus", max_length=2000, blank=True)
    # Set by the prefecture: edits of its published initiatives go live without moderation.
    trusted = models.BooleanField("de confiance", default=False)
    trusted_at = models.DateTimeField(null=True, blank=True)
    trusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "siret"]
        verbose_name = "organisation"
        constraints = [
            models.CheckConstraint(condition=SIRET_14_DIGITS, name="siret_14_digits"),
            models.CheckConstraint(
                condition=Q(status__in=OrganisationStatus.values), name="organisation_status_valid"
            ),
            # Approved means complete: the prefecture filled what the member left out.
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (
                    ~Q(name="")
                    & ~Q(kind="")
                    & Q(commune__isnull=False)
                    & Q(decided_at__isnull=False)
                ),
                name="approved_organisation_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(status="approved") | Q(trusted=False),
                name="only_approved_organisation_trusted",
            ),
        ]

    def __str__(self):
        return self.name or f"Organisation {self.siret}"

    @property
    def department_code(self) -> str | None:
        return self.commune.department_id if self.commune_id else None

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED


class MemberRole(models.TextChoices):
    MEMBER = "member", "Membre"
    MANAGER = "manager", "Gestionnaire"


class OrganisationMember(models.Model):
    """A person acting for an organisation. One organisation per person: the one of the
    SIRET ProConnect gave at their last sign-in (their work establishment)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_member"
    )
    role = models.CharField(
        "rôle", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    # Empty: a colleague signed in under the SIRET without an invitation, and waits for a
    # manager's yes; they see nothing of the organisation meanwhile.
    accepted_at = models.DateTimeField("accepté le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "membre d'une organisation"
        verbose_name_plural = "membres des organisations"

    def __str__(self):
        return f"{self.user} — {self.organisation}"

    @property
    def is_manager(self) -> bool:
        return self.role == MemberRole.MANAGER


class OrganisationInvitation(models.Model):
    """A manager invites a colleague by e-mail: accepted when the colleague signs in with
    ProConnect under the same SIRET and that e-mail."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("adresse e-mail")
    role = models.CharField(
        "rôle", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "invitation dans une organisation"
        verbose_name_plural = "invitations dans les organisations"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self):
        return self.email


class OrganisationInitiative(models.Model):
    """Which organisation carries an initiative: a link table of this app, so that the
    initiatives app (a lower layer) knows nothing of organisations."""

    initiative = models.OneToOneField(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="organisation_link",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="initiative_links"
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "initiative d'une organisation"
        verbose_name_plural = "initiatives des organisations"
