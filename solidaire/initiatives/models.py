import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from solidaire.lib.text import fold, singular
from solidaire.lib.typography import format_count, quantity_phrase

from .validators import validate_display_email, validate_http_url, validate_jeveuxaider_url


class Campaign(models.Model):
    """The crisis or cause that initiatives answer (e.g. "Covid-19")."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField("nom", max_length=120)
    description = models.TextField(blank=True)
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    departments = models.ManyToManyField(
        "territory.Department", blank=True, related_name="campaigns", verbose_name="départements"
    )
    is_active = models.BooleanField("en cours", default=True)
    # Freshness (freshness.py): days after "vérifiée le" an initiative is "à confirmer",
    # then days more before it is hidden; empty means FRESHNESS_DAYS / FRESHNESS_HIDE_DAYS.
    freshness_days = models.PositiveSmallIntegerField(
        "jours avant « à confirmer »", null=True, blank=True
    )
    hide_after_days = models.PositiveSmallIntegerField(
        "jours « à confirmer » avant masquage", null=True, blank=True
    )

    class Meta:
        ordering = ["-is_active", "-start_date", "name"]
        verbose_name = "campagne"

    def __str__(self):
        return self.name

    @property
    def confirm_after(self) -> int:
        return self.freshness_days or settings.FRESHNESS_DAYS

    @property
    def hide_after(self) -> int:
        return self.hide_after_days or settings.FRESHNESS_HIDE_DAYS


class Theme(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField("nom", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "position", "name"]
        verbose_name = "thème"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="unique_theme_slug")
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class ActorKind(models.TextChoices):
    COMPANY = "company", "Entreprise"
    ASSOCIATION = "association", "Association"
    MUNICIPALITY = "municipality", "Commune, mairie ou CCAS"
    INTERCOMMUNALITY = "intercommunality", "Intercommunalité"
    CITIZENS = "citizens", "Citoyens"
    CLUB = "club", "Club ou supporters"
    PUBLIC_SERVICE = "public_service", "Service public"
    OTHER = "other", "Autre"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Proposée"
    CHANGES_REQUESTED = "changes_requested", "Modifications demandées"
    PUBLISHED = "published", "Publiée"
    REJECTED = "rejected", "Refusée"
    WITHDRAWN = "withdrawn", "Retirée"
    ARCHIVED = "archived", "Archivée"


PUBLIC_STATUSES = (Status.PUBLISHED, Status.ARCHIVED)


class Freshness(models.TextChoices):
    """Whether a published initiative is known to still run (see freshness.py)."""

    CURRENT = "current", "Vérifiée"
    TO_CONFIRM = "to_confirm", "À confirmer"
    # Left the lists, the map and the counts; its page says it has probably ended.
    HIDDEN = "hidden", "Probablement terminée"


def listed_q(prefix: str = "") -> Q:
    """THE predicate of what is listed publicly (lists, map, counts, feeds, sitemaps):
    published or archived, and not hidden for staleness. ``prefix`` reaches it through a
    relation (``"initiative__"``). Pages by URL, the API and the exports use ``public()``.
    """
    return public_q(prefix) & ~Q(**{f"{prefix}freshness": Freshness.HIDDEN})


class Source(models.TextChoices):
    FORM = "form", "Formulaire public"
    STAFF = "staff", "Saisie par la préfecture"
    IMPORT = "import", "Import"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class _Listed(models.Func):
    """``status IN ('published', 'archived')`` with the values written in the SQL, not bound:
    SQLite uses a partial index only for a condition it can read in the query itself (the
    values are this module's constants, never a visitor's)."""

    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        values = ", ".join(f"'{status}'" for status in PUBLIC_STATUSES)
        return f"{column} IN ({values})", params


def public_q(prefix: str = "") -> Q:
    """Published or archived: what is public by its URL, in the API and the exports. What is
    *listed* (lists, map, counts) is narrower: ``listed_q``."""
    return Q(_Listed(models.F(f"{prefix}status")))


class InitiativeQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_q())

    def listed(self):
        return self.filter(listed_q())


class Initiative(models.Model):
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", max_length=10000)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="initiatives", verbose_name="campagne"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="initiatives")
    actor_name = models.CharField("porteur", max_length=200)
    actor_kind = models.CharField(
        "type de porteur", max_length=20, choices=ActorKind.choices, default=ActorKind.OTHER
    )
    owner_department = models.ForeignKey(
        "territory.Department",
        on_delete=models.PROTECT,
        related_name="owned_initiatives",
        verbose_name="département de rattachement",
    )
    beneficiaries = models.CharField("bénéficiaires", max_length=300, blank=True)
    start_date = models.DateField("date de début", null=True, blank=True)
    end_date = models.DateField("date de fin", null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # Public contacts live in Contact rows; this records the submitter's consent.
    consent_public_contacts = models.BooleanField(default=False)

    # Private: never on a public page, feed, export or API.
    submitter_name = models.CharField("nom du déposant", max_length=150, blank=True)
    submitter_email = models.EmailField("e-mail du déposant", blank=True)
    submitter_phone = models.CharField("téléphone du déposant", max_length=20, blank=True)
    submitter_token = models.CharField(max_length=64, unique=True, default=new_token)
    # Idempotency key of the public form: a double submit creates one initiative.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    # Stemmed, folded words of title, description, actor and places (see search backend).
    search_document = models.TextField(blank=True, default="")

    # Optimistic concurrency: every content save increments it, and a form posting an
    # older number is refused instead of overwriting someone else's edit.
    version = models.PositiveIntegerField(default=1)
    edited_at = models.DateTimeField("dernière modification du contenu", null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifiée par",
    )

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # "Vérifiée le": publication, a carrier's confirmation, a moderator's check.
    verified_at = models.DateTimeField("vérifiée le", null=True, blank=True, db_index=True)
    freshness = models.CharField(
        "fraîcheur",
        max_length=12,
        choices=Freshness.choices,
        default=Freshness.CURRENT,
        db_index=True,
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = "initiative"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="initiative_status_pub"),
            models.Index(fields=["owner_department", "status"], name="initiative_owner_status"),
            # The public lists' order, public rows only: page 1 and every keyset page read
            # the first rows of this index instead of skipping every unpublished one.
            models.Index(
                models.F("published_at").desc(),
                models.F("id").desc(),
                name="initiative_public_order",
                condition=Q(status__in=PUBLIC_STATUSES),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES) | Q(published_at__isnull=False),
                name="published_initiative_has_publication_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ARCHIVED) | Q(archived_at__isnull=False),
                name="archived_initiative_has_archive_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_listed(self) -> bool:
        """The row-level twin of ``listed_q``."""
        return self.status in PUBLIC_STATUSES and self.freshness != Freshness.HIDDEN


class PlaceKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "Intercommunalité"
    ARRONDISSEMENT = "arrondissement", "Arrondissement"
    DEPARTMENT = "department", "Département"


class Place(models.Model):
    """Where an initiative happens: a commune or a whole area."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        "territory.Epci", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    arrondissement = models.ForeignKey(
        "territory.Arrondissement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "territory.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The département and région holding the place (a commune's, an arrondissement's, the
    # département itself; empty for an EPCI, which may span several), copied from the
    # reference by ``place_codes_fill`` so that a département filter reads one indexed
    # column instead of ORing three joins.
    department_code = models.CharField(max_length=3, blank=True, default="", editable=False)
    region_code = models.CharField(max_length=3, blank=True, default="", editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="commune",
                        commune__isnull=False,
                        epci__isnull=True,
                        arrondissement__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind="epci",
                        commune__isnull=True,
                        epci__isnull=False,
                        arrondissement__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind="arrondissement",
                        commune__isnull=True,
                        epci__isnull=True,
                        arrondissement__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        kind="department",
                        commune__isnull=True,
                        epci__isnull=True,
                        arrondissement__isnull=True,
                        department__isnull=False,
                    )
                ),
                name="place_has_exactly_its_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "initiative"], name="place_commune"),
            models.Index(fields=["epci", "initiative"], name="place_epci"),
            models.Index(fields=["arrondissement", "initiative"], name="place_arrondissement"),
            models.Index(fields=["department", "initiative"], name="place_department"),
            models.Index(fields=["department_code", "initiative"], name="place_department_code"),
            models.Index(fields=["region_code", "initiative"], name="place_region_code"),
        ]

    @property
    def area(self):
        return self.commune or self.epci or self.arrondissement or self.department

    def __str__(self):
        return str(self.area)


def item_key(item: str) -> str:
    """Singular, folded form of an item, so that figures group "Masques" with "masque".

    >>> [item_key(x) for x in ["Visières", "masques", "repas", "colis", "cadeaux", "kits"]]
    ['visiere', 'masque', 'repas', 'colis', 'cadeau', 'kit']
    """
    return " ".join(singular(word) for word in fold(item).split())


class Quantity(models.Model):
    """What an initiative produced, gave or served: "1 300 visières en trois semaines"."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="quantities")
    count = models.PositiveIntegerField("nombre")
    approximate = models.BooleanField("environ", default=False)
    item = models.CharField("objet", max_length=100)
    # Singular, lower-case, accent-free: groups "Masques" and "masque" in figures.
    item_key = models.CharField(max_length=100, db_index=True, editable=False)
    period = models.CharField("période", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "quantité"

    def save(self, *args, **kwargs):
        self.item_key = item_key(self.item)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.phrase()

    def phrase(self, *, grouped: bool = False) -> str:
        """ "environ 1300 visières en trois semaines"; ``grouped`` spaces the thousands."""
        return quantity_phrase(
            self.count,
            self.item,
            approximate=self.approximate,
            period=self.period,
            count_text=format_count(self.count) if grouped else None,
        )


class ContactKind(models.TextChoices):
    URL = "url", "Site ou page Facebook"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Téléphone"
    # The value is the commune's INSEE code: « Auprès de la mairie de Calais », linked to
    # the mairie's entry in the national Annuaire de l'administration.
    MAIRIE = "mairie", "Auprès de la mairie"
    TEXT = "text", "Autre"


class Contact(models.Model):
    """A public contact, displayed as is (never mailed by the platform)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    # URL, e-mail, E.164 phone number, INSEE code (mairie) or free text.
    value = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "contact public"
        verbose_name_plural = "contacts publics"

    def __str__(self):
        return self.value


class Actor(models.TextChoices):
    """Who made a workflow step (the workflow table says who may make which)."""

    SUBMITTER = "submitter", "Déposant"
    STAFF = "staff", "Préfecture"
    SYSTEM = "system", "Archivage automatique"
    IMPORT = "import", "Import"


class Transition(models.Model):
    """One recorded step of the workflow: who, when, from, to, why."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor = models.CharField(max_length=20, choices=Actor.choices, default=Actor.STAFF)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "transition"

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class ReportKind(models.TextChoices):
    VISITOR = "visitor", "Signalement"
    # The carrier answered "à modifier" to a freshness ask: the published version stays
    # online until a moderator applies the change.
    CARRIER = "carrier", "Modification proposée par le porteur"


class Report(models.Model):
    """A visitor's "Signaler une erreur ou une action terminée", shown in the moderation queue."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(
        "type", max_length=10, choices=ReportKind.choices, default=ReportKind.VISITOR
    )
    message = models.TextField("message", max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "signalement"


class AskAnswer(models.TextChoices):
    ACTIVE = "active", "Toujours active"
    ENDED = "ended", "Terminée"
    CHANGES = "changes", "À modifier"


class AskChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Appel d'un modérateur"


class FreshnessAsk(models.Model):
    """One "Votre initiative est-elle toujours active ?" for one verification date.

    ``cycle`` is the "vérifiée le" asked about: one ask per initiative and cycle (a job run
    twice finds it), and its e-mails are ledger batches of their own (one per recipient).
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="asks")
    cycle = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=AskChannel.choices)
    asked_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Silence after the reminder: the initiative shows in the moderators' "à vérifier".
    flagged_at = models.DateTimeField(null=True, blank=True)
    # A moderator's call that nobody answered (the initiative stays "à vérifier").
    called_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=12, choices=AskAnswer.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = "demande de confirmation"
        verbose_name_plural = "demandes de confirmation"
        constraints = [
            models.UniqueConstraint(fields=["initiative", "cycle"], name="unique_ask_per_cycle")
        ]


class FreshnessOptOut(models.Model):
    """A submitter who asked never to receive the asks again (personal data: erased)."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "refus des demandes de confirmation"
        verbose_name_plural = "refus des demandes de confirmation"


class PlaceCount(models.Model):
    """How many listed initiatives each place holds, per status: what the map, the home page
    and the place pages show, read without counting the initiatives.

    ``kind`` names the scope (see ``place_counts.SCOPES``); written only by
    ``place_counts.place_counts_refresh`` and ``place_counts_rebuild``.
    """

    kind = models.CharField(max_length=20)
    code = models.CharField(max_length=9, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "nombre d'initiatives d'un lieu"
        verbose_name_plural = "nombres d'initiatives des lieux"
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "status"], name="unique_place_count")
        ]

    def __str__(self):
        return f"{self.kind} {self.code} {self.status}: {self.count}"


class MissionDomain(models.TextChoices):
    """API Engagement's mission domains (its `domain` enum), named in French."""

    SOLIDARITY = "solidarite-insertion", "Solidarité, insertion"
    EDUCATION = "education", "Éducation pour tous"
    HEALTH = "sante", "Santé pour tous"
    LIVING_TOGETHER = "vivre-ensemble", "Vivre ensemble"
    HUMANITARIAN = "humanitaire", "Solidarité internationale, humanitaire"
    PREVENTION = "prevention-protection", "Prévention, protection"
    ENVIRONMENT = "environnement", "Protection de la nature"
    CULTURE = "culture-loisirs", "Culture pour tous"
    SPORT = "sport", "Sport pour tous"
    DIGITAL = "numerique", "Numérique"
    SKILLS = "benevolat-competences", "Bénévolat de compétences"
    CITIZENSHIP = "memoire-et-citoyennete", "Mémoire et citoyenneté"
    LOGISTICS = "batiment-industrie-logistique", "Logistique"
    ANIMALS = "animaux", "Animaux"
    OTHER = "autre", "Autre"


class Remote(models.TextChoices):
    """Where the volunteer works: API Engagement's `remote` values."""

    NO = "no", "Sur place"
    POSSIBLE = "possible", "Sur place ou à distance"
    FULL = "full", "À distance"


NO_ANSWER_MESSAGE = (
    "Indiquez comment répondre à l'appel : un lien, une adresse e-mail, ou les deux."
)


class VolunteerCall(models.Model):
    """An initiative's call for volunteers: what, where, when, how many, how to answer.

    Public with its initiative (``listed_q("initiative__")``). ``answer_email`` may be a
    person's: it is erased with them (erasure.py).
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="volunteer_calls"
    )
    title = models.CharField("ce qui est demandé", max_length=200)
    description = models.TextField("description", max_length=5000)
    domain = models.CharField(
        "domaine", max_length=40, choices=MissionDomain.choices, default=MissionDomain.SOLIDARITY
    )
    # Empty: the initiative's own places.
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    address = models.CharField("adresse", max_length=300, blank=True)
    remote = models.CharField(
        "sur place ou à distance", max_length=10, choices=Remote.choices, default=Remote.NO
    )
    # Empty: "dès maintenant".
    start_date = models.DateField("date de début", null=True, blank=True)
    end_date = models.DateField("date de fin", null=True, blank=True)
    schedule = models.CharField("disponibilité demandée", max_length=200, blank=True)
    volunteers_wanted = models.PositiveIntegerField("nombre de bénévoles", null=True, blank=True)
    # The contacts' own checks: an e-mail such as "solidarité.arras@…" is a real one.
    answer_url = models.CharField(
        "lien pour répondre", max_length=500, blank=True, validators=[validate_http_url]
    )
    answer_email = models.CharField(
        "e-mail pour répondre", max_length=254, blank=True, validators=[validate_display_email]
    )
    # Recorded by staff once the mission is on JeVeuxAider.
    jeveuxaider_url = models.CharField(
        "mission JeVeuxAider", max_length=500, blank=True, validators=[validate_jeveuxaider_url]
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "appel à bénévoles"
        verbose_name_plural = "appels à bénévoles"
        indexes = [
            models.Index(fields=["commune", "initiative"], name="volunteer_call_commune"),
        ]
        constraints = [
            # A call nobody can answer is no call.
            models.CheckConstraint(
                condition=~Q(answer_url="") | ~Q(answer_email=""),
                name="volunteer_call_has_answer",
                violation_error_message=NO_ANSWER_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="volunteer_call_end_after_start",
                violation_error_message="La date de fin doit être postérieure à la date de début.",
            ),
            models.CheckConstraint(
                condition=Q(volunteers_wanted__isnull=True) | Q(volunteers_wanted__gte=1),
                name="volunteer_call_wants_someone",
                violation_error_message="Indiquez au moins un bénévole, ou laissez vide.",
            ),
            models.CheckConstraint(
                condition=Q(remote__in=Remote.values), name="volunteer_call_remote_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.initiative.get_absolute_url()}#benevolat-{self.pk}"

    @property
    def answer_mailto(self) -> str:
        return f"mailto:{self.answer_email}" if self.answer_email else ""


# What the services write of a call (the initiative and position are theirs to set).
VOLUNTEER_CALL_FIELDS = (
    "title",
    "description",
    "domain",
    "commune",
    "address",
    "remote",
    "start_date",
    "end_date",
    "schedule",
    "volunteers_wanted",
    "answer_url",
    "answer_email",
    "jeveuxaider_url",
)
