"""Alerts by place and theme: an address (no account) and the alerts it confirmed.

An address's alerts are managed from one private link (``manage_token``); each alert has
its own one-click unsubscribe link. ``sent_until`` is the end of the last period an alert
was served for: a digest covers (sent_until, end of the period], so a job run twice, late
or after a week's outage serves each period once.
"""

import secrets

from django.db import models
from django.db.models import Q


def new_token() -> str:
    return secrets.token_urlsafe(24)


class AlertRecipient(models.Model):
    """An address that asked for alerts: private, erased with the person."""

    email = models.EmailField("adresse", max_length=254, unique=True)
    manage_token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set after repeated refusals by the SMTP server: nothing is sent until confirmed again.
    disabled_at = models.DateTimeField("envois suspendus le", null=True, blank=True)
    disabled_reason = models.TextField("motif de la suspension", blank=True)

    class Meta:
        verbose_name = "destinataire d'alertes"
        verbose_name_plural = "destinataires d'alertes"

    def __str__(self):
        return self.email


class AlertScope(models.TextChoices):
    COMMUNE = "commune", "Une commune"
    NEAR = "near", "Près de chez moi"
    EPCI = "epci", "Une intercommunalité (EPCI)"
    ARRONDISSEMENT = "arrondissement", "Un arrondissement"
    DEPARTMENT = "department", "Un département"


class AlertFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "Dès qu'une initiative est publiée ou se termine"
    DAILY = "daily", "Une fois par jour au plus"
    WEEKLY = "weekly", "Une fois par semaine au plus"


class Alert(models.Model):
    recipient = models.ForeignKey(AlertRecipient, on_delete=models.CASCADE, related_name="alerts")
    scope = models.CharField("zone", max_length=20, choices=AlertScope.choices)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        "territory.Epci", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    arrondissement = models.ForeignKey(
        "territory.Arrondissement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "territory.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    distance_km = models.PositiveSmallIntegerField("distance (km)", null=True, blank=True)
    themes = models.ManyToManyField("initiatives.Theme", blank=True, related_name="+")
    frequency = models.CharField(
        "fréquence", max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.DAILY
    )
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    sent_until = models.DateTimeField("servie jusqu'au", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "alerte"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope__in=["commune", "near"], commune__isnull=False)
                    | Q(scope="epci", epci__isnull=False)
                    | Q(scope="arrondissement", arrondissement__isnull=False)
                    | Q(scope="department", department__isnull=False)
                ),
                name="alert_has_its_place",
            ),
            models.CheckConstraint(
                condition=~Q(scope="near") | Q(distance_km__gte=1, distance_km__lte=100),
                name="alert_near_has_distance",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(sent_until__isnull=False),
                name="alert_confirmed_has_watermark",
            ),
        ]
        indexes = [models.Index(fields=["frequency", "sent_until"], name="alert_due")]

    def __str__(self):
        return self.place_label

    @property
    def code(self) -> str:
        return {
            AlertScope.COMMUNE: self.commune_id,
            AlertScope.NEAR: self.commune_id,
            AlertScope.EPCI: self.epci_id,
            AlertScope.ARRONDISSEMENT: self.arrondissement_id,
            AlertScope.DEPARTMENT: self.department_id,
        }[self.scope]

    @property
    def place_label(self) -> str:
        """ "Calais (62)", "CA du Boulonnais", "à moins de 10 km de Calais (62)"…"""
        if self.scope == AlertScope.NEAR:
            return f"à moins de {self.distance_km} km de {self.commune}"
        if self.scope == AlertScope.COMMUNE:
            return str(self.commune)
        return str(self.epci or self.arrondissement or self.department)
