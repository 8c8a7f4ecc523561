"""What the platform does behind the scenes: every e-mail it sends (the ledger), the task
workers alive, and the last run of each scheduled job."""

import uuid

from django.db import models
from django.db.models import Q


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    # Claimed by a sender: never claimed again automatically, so a crash between the
    # server's acceptance and our write cannot cause a second copy.
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"
    # Left in "sending" past OUTBOX_SENDING_TIMEOUT: the sender died mid-send, and the
    # server may or may not have accepted the message. Staff decide.
    UNCERTAIN = "uncertain", "À vérifier"


class Delivery(models.Model):
    """One e-mail to one address: written before the SMTP call, claimed once per attempt.

    ``batch`` groups the rows of one mailing (``bulletin:12``); an address appears once
    per batch. The message is either stored here (subject, body, html) or rebuilt at
    send time by the registered ``builder`` (a bulletin's HTML is too big to store per
    reader). The Message-ID is fixed when the row is written, so every copy that could
    ever leave carries the same one.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.CharField(max_length=64, blank=True)
    kind = models.CharField("type", max_length=32)
    address = models.EmailField("adresse", max_length=254)
    subject = models.CharField("objet", max_length=255, blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    builder = models.CharField(max_length=32, blank=True)
    params = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=255)
    status = models.CharField(
        "statut", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    # Retries with backoff stop here; a staff "Renvoyer" starts a new window.
    give_up_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "envoi"
        verbose_name_plural = "envois"
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "address"], condition=~Q(batch=""), name="unique_batch_address"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["batch", "status"], name="delivery_batch_status"),
        ]

    def __str__(self):
        return f"{self.address} ({self.get_status_display()})"


class WorkerHeartbeat(models.Model):
    """A task worker says it is alive; a claim whose worker stopped beating is stale."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()

    class Meta:
        verbose_name = "processus de tâches"
        verbose_name_plural = "processus de tâches"

    def __str__(self):
        return self.worker_id


class JobRun(models.Model):
    """The last run of one scheduled job: the scheduler's only memory.

    ``last_started`` is claimed by a conditional update, so two schedulers never start
    the same run twice, and a job missed for a week is due once, not seven times.
    """

    name = models.CharField(max_length=64, unique=True)
    last_started = models.DateTimeField("dernier lancement", null=True, blank=True)
    last_finished = models.DateTimeField("dernière fin", null=True, blank=True)
    last_result = models.TextField("dernier résultat", blank=True)
    last_error = models.TextField("dernière erreur", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "tâche planifiée"
        verbose_name_plural = "tâches planifiées"

    def __str__(self):
        return self.name
