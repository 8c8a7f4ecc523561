from django.db import models


class ExportFile(models.Model):
    """The current full file of an export format, generated ahead of time (full_exports.py).

    The file itself is in the ``exports`` storage (settings ``EXPORT_STORAGE_*``), shared by
    every application server; this row says which one is current, so that they all serve
    the same file with the same size and checksum.
    """

    fmt = models.CharField("format", max_length=20, primary_key=True)
    name = models.CharField("nom dans le stockage", max_length=255)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    rows = models.PositiveIntegerField("initiatives")
    generated_at = models.DateTimeField("généré le")
    seconds = models.FloatField("durée de génération (s)")
    # The records the format's schema refused (data·inclusion), by initiative:
    # [{"initiative": id, "title": …, "errors": […]}].
    problems = models.JSONField("enregistrements refusés", default=list, blank=True)

    class Meta:
        verbose_name = "fichier complet des données ouvertes"
        verbose_name_plural = "fichiers complets des données ouvertes"

    def __str__(self):
        return f"{self.fmt} du {self.generated_at:%Y-%m-%d %H:%M}"


class DatagouvDataset(models.Model):
    """The dataset that ``publish_datagouv`` created on a data.gouv.fr platform, kept so that
    the next run updates it rather than creating another (DATAGOUV_DATASET, when set, wins)."""

    api_url = models.CharField("adresse de l'API", max_length=200, unique=True)
    dataset = models.CharField("identifiant du jeu de données", max_length=100)
    page = models.CharField("page du jeu de données", max_length=300, blank=True)
    published_at = models.DateTimeField("dernier envoi", null=True, blank=True)

    class Meta:
        verbose_name = "jeu de données sur data.gouv.fr"
        verbose_name_plural = "jeux de données sur data.gouv.fr"

    def __str__(self):
        return f"{self.dataset} ({self.api_url})"
