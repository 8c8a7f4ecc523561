from django import forms

from solidaire.forms import DsfrBaseForm
from solidaire.initiatives.models import Theme
from solidaire.territory.forms import CommuneField
from solidaire.territory.models import Arrondissement, Department, Epci

from .models import AlertFrequency, AlertScope
from .services import AlertPlace

DISTANCES = [(5, "5 km"), (10, "10 km"), (15, "15 km"), (30, "30 km"), (50, "50 km")]
AREA_NAMES = {
    AlertScope.EPCI: "d'une intercommunalité (numéro SIREN à 9 chiffres)",
    AlertScope.ARRONDISSEMENT: "d'un arrondissement",
    AlertScope.DEPARTMENT: "d'un département",
}


def area_of(scope: str, code: str):
    """The EPCI, arrondissement or département of a code, None if unknown."""
    code = (code or "").strip().upper()
    if not code or len(code) > 9 or not code.isalnum():
        return None
    model = {
        AlertScope.EPCI: Epci,
        AlertScope.ARRONDISSEMENT: Arrondissement,
        AlertScope.DEPARTMENT: Department,
    }[scope]
    return model.objects.filter(pk=code).first()


class AlertForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        help_text="Format attendu : nom@domaine.fr. Elle ne sera ni publiée ni transmise.",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@domaine.fr.",
        },
    )
    scope = forms.ChoiceField(
        label="Être alerté pour",
        choices=AlertScope.choices,
        initial=AlertScope.COMMUNE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une zone.", "invalid_choice": "Zone inconnue."},
    )
    commune = CommuneField(
        label="Commune",
        help_text="Pour « Une commune » et « Près de chez moi » : nom ou code postal",
        required=False,
    )
    distance = forms.TypedChoiceField(
        label="Distance (près de chez moi)",
        coerce=int,
        choices=DISTANCES,
        initial=10,
        error_messages={"invalid_choice": "Choisissez une distance de la liste."},
    )
    area = forms.CharField(
        label="Code du territoire",
        help_text=(
            "Pour une intercommunalité : son numéro SIREN (9 chiffres) ; un arrondissement : "
            "son code (ex. 621) ; un département : son code (ex. 62)"
        ),
        required=False,
        max_length=9,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes (facultatif)",
        help_text="Sans thème coché, toutes les initiatives de la zone.",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Thème inconnu.", "invalid_pk_value": "Thème inconnu."},
    )
    frequency = forms.ChoiceField(
        label="Fréquence des e-mails",
        choices=AlertFrequency.choices,
        initial=AlertFrequency.DAILY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une fréquence.",
            "invalid_choice": "Fréquence inconnue.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(
            campaign__is_active=True, parent__isnull=True
        ).order_by("campaign__name", "position", "name")
        self.place = None
        # django-dsfr's own choice templates need widget_tweaks, which the site does not use.
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                field.template_name = "initiatives/fields/choices.html"

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if not scope:
            return data
        if scope in (AlertScope.COMMUNE, AlertScope.NEAR):
            commune = data.get("commune")
            if commune is None:
                if "commune" not in self.errors:
                    self.add_error("commune", "Indiquez la commune de l'alerte.")
                return data
            self.place = AlertPlace(
                scope=scope, commune=commune, distance_km=data.get("distance") or 10
            )
            return data
        code = data.get("area", "")
        if not code.strip():
            self.add_error("area", "Indiquez le code du territoire de l'alerte.")
            return data
        area = area_of(scope, code)
        if area is None:
            self.add_error(
                "area",
                f"Territoire inconnu : « {code.strip()} » n'est pas le code {AREA_NAMES[scope]}.",
            )
            return data
        self.place = AlertPlace(scope=scope, **{scope: area})
        return data
