from django.conf import settings
from django.db import models


class DocumentStatus(models.TextChoices):
    ANALYSING = "analysing", "En cours d'analyse"
    FAILED = "failed", "Analyse échouée"
    ANALYSED = "analysed", "Analysé"
    IMPORTED = "imported", "Importé"


class ImportedDocument(models.Model):
    """A bulletin, press release or e-mail read by the import pipeline.

    The content hash makes imports idempotent: the same document read twice is found again
    instead of creating its drafts a second time.
    """

    content_hash = models.CharField(max_length=64, unique=True)
    source_name = models.CharField("document", max_length=255)
    file_format = models.CharField("format", max_length=10)
    # The text as extracted from the file: evidence offsets point into it.
    text = models.TextField()
    result = models.JSONField(default=dict)
    department = models.ForeignKey(
        "territory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    campaign = models.ForeignKey(
        "initiatives.Campaign", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.ANALYSED
    )
    # Written by the background analysis as it goes (large documents): percentage of the
    # pipeline's steps done, the last step reached, and the French reason of a failure.
    progress = models.PositiveSmallIntegerField("avancement (%)", default=100)
    progress_step = models.CharField("étape", max_length=100, blank=True)
    error = models.TextField("erreur d'analyse", blank=True)
    # The review's choices saved page by page: {"index": {"include": bool, "communes": [...]}}.
    # An initiative without one is included with the communes found.
    choices = models.JSONField(default=dict, blank=True)
    bulletin = models.ForeignKey(
        "bulletins.Bulletin", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "document importé"
        verbose_name_plural = "documents importés"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="imported") | models.Q(imported_at__isnull=False),
                name="imported_document_has_import_date",
            )
        ]

    def __str__(self):
        return self.source_name


class ImportedInitiative(models.Model):
    """Which draft came from which initiative of which document."""

    document = models.ForeignKey(
        ImportedDocument, on_delete=models.CASCADE, related_name="imported_initiatives"
    )
    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="imported_from"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["document", "position"]
        verbose_name = "initiative importée"
        verbose_name_plural = "initiatives importées"
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="unique_import_position")
        ]
