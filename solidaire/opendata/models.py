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
