"""Forms of the public pages: list filters, "près de chez moi", report an error."""

import re

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from solidaire.territory.forms import CommuneField
from solidaire.territory.models import Arrondissement, Department, Epci

from .models import ActorKind, Report, Status
from .reference import filter_choices
from .selectors import InitiativeFilters

CODE_RE = re.compile(r"^[0-9A-Za-z]{1,12}$")
UNKNOWN_VALUE = "« %(value)s » n'est pas une valeur connue pour ce filtre."


class KnownCodeField(forms.ChoiceField):
    """A select of the usual codes that also accepts any other existing code (shared links)."""

    def __init__(self, *, model, lookup: str, **kwargs):
        self.model, self.lookup = model, lookup
        super().__init__(**kwargs)

    def valid_value(self, value):
        return super().valid_value(value) or (
            CODE_RE.match(value) is not None
            and self.model.objects.filter(**{self.lookup: value}).exists()
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
    commune = CommuneField(
        label="Commune", help_text="Nom, code postal ou code INSEE", required=False
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
    commune = CommuneField(
        label="Votre commune",
        help_text="Nom ou code postal, par exemple « Lillers » ou « 62190 »",
        error_messages={"required": "Indiquez votre commune ou son code postal."},
    )
    distance = forms.TypedChoiceField(
        label="Distance",
        coerce=int,
        choices=[(5, "5 km"), (10, "10 km"), (15, "15 km"), (30, "30 km"), (50, "50 km")],
        initial=15,
        required=False,
        error_messages={"invalid_choice": "Choisissez une distance de la liste."},
    )

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
