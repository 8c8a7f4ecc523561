"""Forms of the public pages: list filters, "près de chez moi", report an error."""

import re

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from solidaire.territory.models import Arrondissement, Commune, Department, Epci

from .models import ActorKind, Report, Status
from .reference import filter_choices
from .selectors import InitiativeFilters

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
POSTAL_RE = re.compile(r"^\d{5}$")
UNKNOWN_VALUE = "« %(value)s » n'est pas une valeur connue pour ce filtre."


def resolve_commune(text: str) -> Commune:
    """The commune meant by an INSEE code, a postal code or a (possibly misspelt) name."""
    text = text.strip()
    if INSEE_RE.match(text):
        commune = Commune.objects.filter(insee_code=text.upper()).first()
        if commune is not None:
            return commune
    if POSTAL_RE.match(text):
        communes = list(
            Commune.objects.filter(postal_code_rows__code=text).order_by("-population")[:6]
        )
        if len(communes) == 1:
            return communes[0]
        if communes:
            names = ", ".join(c.name for c in communes[:5])
            raise ValidationError(
                f"Plusieurs communes ont le code postal {text} ({names}…) : précisez le nom.",
                code="ambiguous",
            )
        raise ValidationError(f"Aucune commune n'a le code postal {text}.", code="unknown")
    matches = _find(text)
    if matches:
        commune = Commune.objects.filter(insee_code=matches[0]).first()
        if commune is not None:
            return commune
    raise ValidationError(
        f"Aucune commune ne correspond à « {text[:100]} ». "
        "Essayez son nom, son code postal ou son code INSEE.",
        code="unknown",
    )


def _find(text: str) -> list[str]:
    """INSEE codes of the communes matching ``text``, best first (the territory finder)."""
    try:
        from solidaire.territory.finder import find_communes
    except ImportError:  # the finder is built in the territory app; exact names meanwhile
        return list(
            Commune.objects.filter(name__iexact=text)
            .order_by("-population")
            .values_list("insee_code", flat=True)[:1]
        )
    return [match.insee_code for match in find_communes(text, limit=1)]


class KnownCodeField(forms.ChoiceField):
    """A select of the usual codes that also accepts any other existing code (shared links)."""

    def __init__(self, *, model, lookup: str, **kwargs):
        self.model, self.lookup = model, lookup
        super().__init__(**kwargs)

    def valid_value(self, value):
        return super().valid_value(value) or (
            len(value) <= 12 and self.model.objects.filter(**{self.lookup: value}).exists()
        )


class InitiativeFilterForm(DsfrBaseForm):
    q = forms.CharField(
        label="Rechercher",
        help_text="Un ou plusieurs mots : « masques », « courses personnes âgées »…",
        required=False,
        max_length=1000,
        error_messages={"max_length": "La recherche est limitée à %(limit_value)d caractères."},
    )
    campaign = forms.ChoiceField(label="Campagne", required=False)
    theme = forms.ChoiceField(label="Thème", required=False)
    commune = forms.CharField(
        label="Commune",
        help_text="Nom, code postal ou code INSEE",
        required=False,
        max_length=100,
        error_messages={"max_length": "Le nom de commune est limité à %(limit_value)d caractères."},
    )
    epci = KnownCodeField(model=Epci, lookup="siren", label="Intercommunalité", required=False)
    arrondissement = KnownCodeField(
        model=Arrondissement, lookup="code", label="Arrondissement", required=False
    )
    department = KnownCodeField(
        model=Department, lookup="code", label="Département", required=False
    )
    actor_kind = forms.ChoiceField(
        label="Type de porteur",
        required=False,
        choices=[("", "Tous")] + list(ActorKind.choices),
    )
    status = forms.ChoiceField(
        label="État",
        required=False,
        choices=[
            ("", "En cours et terminées"),
            (Status.PUBLISHED, "En cours"),
            (Status.ARCHIVED, "Terminées (archivées)"),
        ],
    )

    FILTER_FIELDS = ("campaign", "theme", "commune", "epci", "arrondissement", "department")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        everything = {
            "campaign": "Toutes",
            "theme": "Tous",
            "epci": "Toutes",
            "arrondissement": "Tous",
            "department": "Tous",
        }
        for name, label in everything.items():
            self.fields[name].choices = [("", label)] + choices[name]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = UNKNOWN_VALUE

    def clean_commune(self):
        text = self.cleaned_data["commune"].strip()
        if not text:
            return None
        return resolve_commune(text)

    def filters(self) -> InitiativeFilters:
        """The valid part of the filters: a bad parameter is reported, the others still apply."""
        data = {name: value for name, value in self.cleaned_data.items() if value}
        commune = data.pop("commune", None)
        return InitiativeFilters(
            **{name: value for name, value in data.items() if isinstance(value, str)},
            commune=commune.insee_code if commune else "",
        )

    @property
    def active(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


class NearMeForm(DsfrBaseForm):
    commune = forms.CharField(
        label="Votre commune",
        help_text="Nom ou code postal, par exemple « Lillers » ou « 62190 »",
        max_length=100,
        error_messages={
            "required": "Indiquez votre commune ou son code postal.",
            "max_length": "Le nom de commune est limité à %(limit_value)d caractères.",
        },
    )
    distance = forms.TypedChoiceField(
        label="Distance",
        coerce=int,
        choices=[(5, "5 km"), (10, "10 km"), (15, "15 km"), (30, "30 km"), (50, "50 km")],
        initial=15,
        required=False,
        error_messages={"invalid_choice": "Choisissez une distance de la liste."},
    )

    def clean_commune(self):
        return resolve_commune(self.cleaned_data["commune"])

    def clean_distance(self):
        return self.cleaned_data.get("distance") or 15


class ReportForm(DsfrBaseForm, forms.ModelForm):
    # Honeypot: hidden from people (CSS and aria-hidden), filled by naive robots.
    website = forms.CharField(required=False, max_length=200, label="Ne pas remplir ce champ")

    class Meta:
        model = Report
        fields = ["message"]
        labels = {"message": "Votre message"}
        help_texts = {
            "message": "Ce qui est inexact, ou la date à laquelle l'action s'est terminée. "
            "N'indiquez pas de données personnelles."
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
        error_messages = {
            "message": {
                "required": "Décrivez l'erreur ou indiquez que l'action est terminée.",
                "max_length": "Le message est limité à %(limit_value)d caractères.",
            }
        }

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 5:
            raise ValidationError("Le message est trop court.")
        return message

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
