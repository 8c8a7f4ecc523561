from django.db import models

from solidaire.lib.typography import of_name


class CodedArea(models.Model):
    """A region, département or arrondissement: a COG code and a name, listed by code."""

    name = models.CharField(max_length=100)

    class Meta:
        abstract = True
        ordering = ["code"]


class Region(CodedArea):
    code = models.CharField(max_length=3, primary_key=True)

    class Meta(CodedArea.Meta):
        verbose_name = "région"

    def __str__(self):
        return self.name


class Department(CodedArea):
    code = models.CharField(max_length=3, primary_key=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")

    class Meta(CodedArea.Meta):
        verbose_name = "département"

    def __str__(self):
        return f"{self.name} ({self.code})"


class Arrondissement(CodedArea):
    code = models.CharField(max_length=4, primary_key=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="arrondissements"
    )

    class Meta(CodedArea.Meta):
        verbose_name = "arrondissement"

    def __str__(self):
        return f"Arrondissement {of_name(self.name)}"


class Epci(models.Model):
    siren = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self):
        return self.name


class Commune(models.Model):
    insee_code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=200, db_index=True)
    # ";"-joined as in the source file; CommunePostalCode indexes each code.
    postal_codes = models.CharField(max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    arrondissement = models.ForeignKey(
        Arrondissement, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    population = models.PositiveIntegerField(default=0)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["name"]
        verbose_name = "commune"
        # The communes around a point (nearest commune, "À moins de 15 km"): a range of
        # latitudes read from the index rather than every commune of France.
        indexes = [models.Index(fields=["latitude", "longitude"], name="commune_position")]

    def __str__(self):
        return f"{self.name} ({self.department_id})"

    @property
    def postal_code_list(self) -> list[str]:
        return [code for code in self.postal_codes.split(";") if code]


class CommunePostalCode(models.Model):
    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_code_rows")

    class Meta:
        verbose_name = "code postal d'une commune"
        verbose_name_plural = "codes postaux des communes"
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="unique_postal_code_commune")
        ]
