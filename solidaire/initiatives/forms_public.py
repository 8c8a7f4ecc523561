"""Forms of the public pages: list filters, "près de chez moi", report an error."""

from django import forms
from django.core.exceptions import ValidationError

from solidaire.forms import DsfrBaseForm, FastSelect
from solidaire.territory.forms import CommuneField
from solidaire.territory.selectors import NEAREST_MAX_KM, nearest_commune

from .filters import Q_MAX_LENGTH, parse_filters
from .models import ActorKind, Report, Status
from .reference import filter_choices
from .selectors import InitiativeFilters

UNKNOWN_VALUE = "« %(value)s » n'est pas une valeur connue pour ce filtre."


class ListedChoiceField(forms.ChoiceField):
    """A select of the usual values. What is sent is checked by ``parse_filters``, which
    also accepts values the select does not list (a shared link may name any EPCI)."""

    widget = FastSelect

    def validate(self, value):
        forms.Field.validate(self, value)


class InitiativeFilterForm(DsfrBaseForm):
    """The filters of the public list and map: what people type and choose, read by the
    shared parser. Its errors are shown in this form's words; the valid filters still apply."""

    q = forms.CharField(
        label="Rechercher",
        help_text="Un ou plusieurs mots : « masques », « courses personnes âgées »…",
        required=False,
        max_length=Q_MAX_LENGTH,
        error_messages={"max_length": "La recherche est limitée à %(limit_value)d caractères."},
    )
    campaign = ListedChoiceField(label="Campagne", required=False)
    theme = ListedChoiceField(label="Thème", required=False)
    commune = CommuneField(
        label="Commune", help_text="Nom, code postal ou code INSEE", required=False
    )
    epci = ListedChoiceField(label="Intercommunalité", required=False)
    arrondissement = ListedChoiceField(label="Arrondissement", required=False)
    department = ListedChoiceField(label="Département", required=False)
    actor_kind = ListedChoiceField(
        label="Type de porteur",
        required=False,
        choices=[("", "Tous")] + list(ActorKind.choices),
    )
    status = ListedChoiceField(
        label="État",
        required=False,
        choices=[
            ("", "En cours et terminées"),
            (Status.PUBLISHED, "En cours"),
            (Status.ARCHIVED, "Terminées (archivées)"),
        ],
    )

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
        self._filters = InitiativeFilters()

    def clean(self):
        data = super().clean()
        # The commune field has turned what was typed into a commune: the parser takes codes.
        params = {name: value for name, value in data.items() if isinstance(value, str) and value}
        if data.get("commune"):
            params["commune"] = data["commune"].insee_code
        self._filters, errors = parse_filters(params)
        for name, messages in errors.items():
            message = messages[0] if name == "q" else UNKNOWN_VALUE % {"value": params[name]}
            self.add_error(name, message)
        return data

    def filters(self) -> InitiativeFilters:
        """The valid part of the filters: a bad parameter is reported, the others still apply."""
        return self._filters

    @property
    def active(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


class _DistanceForm(DsfrBaseForm):
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


class NearMeForm(_DistanceForm):
    field_order = ["commune", "distance"]
    commune = CommuneField(
        label="Votre commune",
        help_text="Nom ou code postal, par exemple « Lillers » ou « 62190 »",
        error_messages={"required": "Indiquez votre commune ou son code postal."},
    )


_POSITION_INVALID = "La position reçue n'est pas valide. Indiquez votre commune ou son code postal."


def _coordinate(limit: int) -> forms.FloatField:
    """A latitude or longitude within ±``limit``; any fault gets the one position message."""
    return forms.FloatField(
        min_value=-limit,
        max_value=limit,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), _POSITION_INVALID
        ),
    )


class NearMePositionForm(_DistanceForm):
    """The browser's position ("Utiliser ma position"), turned into the nearest commune."""

    lat = _coordinate(90)
    lon = _coordinate(180)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        commune = nearest_commune(cleaned["lat"], cleaned["lon"])
        if commune is None:
            raise forms.ValidationError(
                f"Votre position semble hors de France\u00a0: aucune commune connue à moins de "
                f"{NEAREST_MAX_KM:g}\u00a0km. Indiquez votre commune ou son code postal."
            )
        cleaned["commune"] = commune
        return cleaned

    @property
    def first_error(self) -> str:
        for messages in self.errors.values():
            return messages[0]
        return ""


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


class ChangeProposalForm(DsfrBaseForm):
    """The carrier's "à modifier": what changed, for a moderator to apply."""

    message = forms.CharField(
        label="Ce qui a changé",
        help_text="Horaires, contact, lieu, fin prévue… La version publiée reste en ligne "
        "jusqu'à ce que la préfecture applique la modification.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Décrivez ce qui a changé."},
    )
