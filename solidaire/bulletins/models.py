import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


def new_token() -> str:
    return secrets.token_urlsafe(24)


class BulletinSeries(models.Model):
    """A numbered publication of one département about one campaign."""

    slug = models.SlugField("identifiant", max_length=80, unique=True)
    title = models.CharField("titre", max_length=200)
    department = models.ForeignKey(
        "territory.Department", on_delete=models.PROTECT, verbose_name="département"
    )
    campaign = models.ForeignKey(
        "initiatives.Campaign", on_delete=models.PROTECT, verbose_name="campagne"
    )
    # The bloc-marque of the PDF, e.g. "Préfet du Pas-de-Calais".
    authority = models.CharField("autorité émettrice", max_length=120)
    place = models.CharField("lieu d'émission", max_length=100)
    signatory = models.CharField("signataire", max_length=200, blank=True)
    first_number = models.PositiveIntegerField("premier numéro", default=1)
    description = models.TextField("présentation", max_length=2000, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "série de bulletins"
        verbose_name_plural = "séries de bulletins"
        constraints = [
            models.CheckConstraint(condition=Q(first_number__gte=1), name="series_first_number")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bulletins:series", args=[self.slug])


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publié"


class Bulletin(models.Model):
    """One number of a series. Once published, what readers see is ``snapshot``."""

    series = models.ForeignKey(BulletinSeries, on_delete=models.PROTECT, related_name="bulletins")
    # A draft carries the number it was prepared as; publishing checks it is still free.
    number = models.PositiveIntegerField("numéro")
    status = models.CharField(
        max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    issue_date = models.DateField("date de parution")
    introduction = models.TextField("introduction", max_length=5000, blank=True)
    closing = models.TextField("mot de conclusion", max_length=5000, blank=True)
    calls_to_action = models.TextField("appels à l'action", max_length=3000, blank=True)
    # Recorded from an archive (an import), not composed here.
    is_past_record = models.BooleanField(default=False)

    snapshot = models.JSONField(null=True, blank=True, editable=False)
    revision = models.PositiveSmallIntegerField(default=0, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Travels with the composer's form: a save made on a stale page is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["series", "-number"]
        verbose_name = "bulletin"
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"],
                condition=Q(status="published"),
                name="unique_published_bulletin_number",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(snapshot__isnull=False, published_at__isnull=False),
                name="published_bulletin_has_snapshot",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="bulletin_number_positive"),
        ]
        indexes = [models.Index(fields=["series", "status", "-number"], name="bulletin_series")]

    def __str__(self):
        return f"{self.series.title} n°{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == BulletinStatus.PUBLISHED

    def get_absolute_url(self):
        return reverse("bulletins:detail", args=[self.series.slug, self.number])

    def get_compose_url(self):
        return reverse("bulletins:compose", args=[self.pk])


class BulletinRevision(models.Model):
    """Every published state of a bulletin: the first publication, then each correction."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    note = models.CharField("motif de la correction", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["bulletin", "revision"]
        verbose_name = "version publiée"
        verbose_name_plural = "versions publiées"
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "revision"], name="unique_revision")
        ]


class ContactLabel(models.TextChoices):
    MORE = "Plus d'information", "Plus d'information"
    CONTACT = "Contact", "Contact"


class BulletinItem(models.Model):
    """One initiative relayed in a bulletin, with the paragraph as the bulletin tells it."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    # Kept if the initiative disappears: the published snapshot does not depend on it.
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bulletin_items",
    )
    theme = models.ForeignKey(
        "initiatives.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rubrique",
    )
    position = models.PositiveIntegerField(default=0)
    paragraph = models.TextField("paragraphe", max_length=4000)
    contact_label = models.CharField(
        "intitulé", max_length=20, choices=ContactLabel.choices, default=ContactLabel.CONTACT
    )
    contact_text = models.CharField("contact", max_length=500, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "initiative relayée"
        verbose_name_plural = "initiatives relayées"
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "initiative"], name="unique_bulletin_initiative"
            )
        ]


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "En attente de confirmation"
    CONFIRMED = "confirmed", "Confirmé"


class Subscriber(models.Model):
    """A reader who asked to receive a series by e-mail. Private: never shown or exported."""

    series = models.ForeignKey(BulletinSeries, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField("adresse e-mail", max_length=254)
    status = models.CharField(
        max_length=10, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "abonné"
        constraints = [
            models.UniqueConstraint(fields=["series", "email"], name="unique_subscriber")
        ]

    def __str__(self):
        return self.email


class PressContact(models.Model):
    """A press or partner address that receives every number of a series (managed by staff)."""

    class Kind(models.TextChoices):
        PRESS = "press", "Presse"
        PARTNER = "partner", "Partenaire"

    series = models.ForeignKey(
        BulletinSeries, on_delete=models.CASCADE, related_name="press_contacts"
    )
    name = models.CharField("nom", max_length=200)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    kind = models.CharField("type", max_length=10, choices=Kind.choices, default=Kind.PRESS)
    email = models.EmailField("adresse e-mail", max_length=254)
    is_active = models.BooleanField("destinataire actif", default=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token)

    class Meta:
        ordering = ["series", "name"]
        verbose_name = "destinataire presse ou partenaire"
        verbose_name_plural = "destinataires presse et partenaires"
        constraints = [
            models.UniqueConstraint(fields=["series", "email"], name="unique_press_contact")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class DeliveryKind(models.TextChoices):
    SUBSCRIBER = "subscriber", "Abonné"
    PRESS = "press", "Presse ou partenaire"
