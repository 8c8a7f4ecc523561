from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    MODERATOR = "moderator", "Modérateur"
    EDITOR = "editor", "Éditeur"


class User(AbstractUser):
    """A prefecture staff member. Admins are superusers; others act through memberships."""

    email = models.EmailField("adresse e-mail", unique=True)
    # ProConnect's subject: stable for one person, one identity provider and this service
    # only (ProConnect gives each service its own), so it is the key of later sign-ins.
    proconnect_sub = models.CharField(
        "identifiant ProConnect", max_length=255, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = "agent"

    def department_codes(self, role: str) -> set[str]:
        """Codes of the départements where this user holds ``role`` (admins: all)."""
        cache = self.__dict__.setdefault("_scope_cache", {})
        if role not in cache:
            cache[role] = set(
                self.memberships.filter(role=role).values_list("department_id", flat=True)
            )
        return cache[role]

    def can(self, role: str, department_code: str | None) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return department_code in self.department_codes(role)

    def has_role(self, role: str) -> bool:
        return self.is_active and (self.is_superuser or bool(self.department_codes(role)))


class Membership(models.Model):
    """A role held by a staff user in one département."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey("territory.Department", on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.department_id})"


def _invitation_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An admin's invitation: the invitee follows the link, sets a password, gets the roles."""

    email = models.EmailField("adresse e-mail", max_length=254)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    departments = models.ManyToManyField(
        "territory.Department", related_name="+", verbose_name="départements"
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "invitation"

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_usable(self) -> bool:
        from django.utils import timezone

        return self.accepted_at is None and self.expires_at > timezone.now()
