"""The call for volunteers: an optional part of the proposal form, and the staff's form.

Field checks are the model's own (the contacts' validators, the constraints' French
messages), repeated here so that a refusal is a message on its field, never a 500.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from solidaire.territory.forms import CommuneField

from .forms import DATE_WIDGET, FormBase
from .models import NO_ANSWER_MESSAGE, VOLUNTEER_CALL_FIELDS, MissionDomain, Remote
from .reference import filter_choices
from .selectors import VolunteerCallFilters
from .validators import validate_display_email, validate_http_url, validate_jeveuxaider_url

PREFIX = "appel"


class VolunteerCallForm(FormBase):
    title = forms.CharField(
        label="Ce que vous demandez aux bénévoles",
        max_length=200,
        help_text="En quelques mots, par exemple « Soutien scolaire à distance pour des collégiens ».",
    )
    description = forms.CharField(
        label="Ce que feront les bénévoles",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce que feront les bénévoles, avec qui, ce qu'il faut savoir avant de venir.",
    )
    domain = forms.ChoiceField(
        label="Domaine", choices=MissionDomain.choices, initial=MissionDomain.SOLIDARITY
    )
    commune = CommuneField(
        label="Lieu de la mission (commune)",
        required=False,
        help_text="Laissez vide : les communes de l'initiative.",
    )
    address = forms.CharField(
        label="Adresse ou lieu de rendez-vous",
        max_length=300,
        required=False,
        help_text="Facultative : rue et numéro, ou le lieu de rendez-vous.",
    )
    remote = forms.ChoiceField(label="Sur place ou à distance", choices=Remote.choices)
    start_date = forms.DateField(
        label="Début de la mission",
        required=False,
        widget=DATE_WIDGET,
        help_text="Laissez vide : dès maintenant.",
    )
    end_date = forms.DateField(
        label="Fin de la mission", required=False, widget=DATE_WIDGET, help_text="Facultative."
    )
    schedule = forms.CharField(
        label="Disponibilité demandée",
        max_length=200,
        required=False,
        help_text="Par exemple : deux heures par semaine, le samedi matin.",
    )
    volunteers_wanted = forms.IntegerField(
        label="Combien de bénévoles ?",
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={
            "min_value": "Indiquez au moins un bénévole, ou laissez vide.",
            "max_value": "Indiquez 100 000 bénévoles au plus.",
            "invalid": "Indiquez un nombre entier, par exemple 3.",
        },
    )
    answer_url = forms.CharField(
        label="Lien pour répondre",
        max_length=500,
        required=False,
        validators=[validate_http_url],
        help_text="Une page d'inscription ou un formulaire (https://…).",
    )
    answer_email = forms.CharField(
        label="E-mail pour répondre",
        max_length=254,
        required=False,
        validators=[validate_display_email],
        help_text="Publiée avec l'appel. Indiquez un lien, un e-mail, ou les deux.",
    )

    error_messages = {
        "no_answer": NO_ANSWER_MESSAGE,
        "dates": "La date de fin doit être postérieure à la date de début.",
        "one_word": "Décrivez la mission en quelques mots (un seul mot ne suffit pas).",
        "entity": "Écrivez le texte tel qu'il doit s'afficher, sans code « &# ».",
    }

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            return title  # the proposal's optional call: required only when wanted
        # API Engagement refuses a one-word title, and a leftover HTML entity anywhere.
        if len(title.split()) < 2:
            raise ValidationError(self.error_messages["one_word"], code="one_word")
        if "&#" in title:
            raise ValidationError(self.error_messages["entity"], code="entity")
        return title

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if "&#" in description:
            raise ValidationError(self.error_messages["entity"], code="entity")
        return description

    def clean(self):
        data = super().clean()
        url, email = data.get("answer_url"), data.get("answer_email")
        # An invalid link or e-mail already says what is wrong with it.
        typed_wrong = self.has_error("answer_url") or self.has_error("answer_email")
        if not url and not email and not typed_wrong:
            self.add_error("answer_url", self.error_messages["no_answer"])
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", self.error_messages["dates"])
        return data

    @staticmethod
    def initial_from(call) -> dict:
        return {name: getattr(call, name) for name in VOLUNTEER_CALL_FIELDS}


class ProposeVolunteerCallForm(VolunteerCallForm):
    """The proposal form's optional call: its fields are read only when ``wanted`` is ticked,
    and kept as typed either way (the page shows them again on any error)."""

    wanted = forms.BooleanField(
        label="Je cherche des bénévoles pour cette initiative",
        required=False,
        help_text="Votre appel sera publié avec l'initiative, sur sa page, sur celle de la "
        "commune et dans la liste « Bénévolat ».",
    )

    # Optional until "wanted" is ticked: no field says "required" to the browser or to a
    # screen reader, and the two texts are required in clean() only for a wanted call.
    use_required_attribute = False
    REQUIRED_WHEN_WANTED = ("title", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED_WHEN_WANTED:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if data.get("wanted"):
            for name in self.REQUIRED_WHEN_WANTED:
                if not data.get(name) and not self.has_error(name):
                    self.add_error(name, "Remplissez ce champ pour publier votre appel.")
        return data

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not self.cleaned_data.get("wanted"):
            # Not asked for: nothing to refuse, nothing to create.
            self._errors = ErrorDict()
            self.cleaned_data = {"wanted": False}

    def call_data(self) -> dict | None:
        """The call's fields when one was asked for, else None (valid forms only)."""
        if not self.cleaned_data.get("wanted"):
            return None
        return {k: v for k, v in self.cleaned_data.items() if k != "wanted"}


class StaffVolunteerCallForm(VolunteerCallForm):
    """The moderators' form: also the address of the call's mission on JeVeuxAider."""

    jeveuxaider_url = forms.CharField(
        label="Mission JeVeuxAider",
        max_length=500,
        required=False,
        validators=[validate_jeveuxaider_url],
        help_text="L'adresse de la mission une fois publiée sur JeVeuxAider "
        "(https://www.jeveuxaider.gouv.fr/missions-benevolat/…). L'appel y renvoie, et il "
        "quitte alors le flux transmis à API Engagement, où la mission figure déjà.",
    )


UNKNOWN_VALUE = "« %(value)s » n'est pas une valeur connue pour ce filtre."


class VolunteerCallFilterForm(FormBase):
    """The filters of /benevolat/: a bad value is reported, the others still apply."""

    department = forms.ChoiceField(label="Département", required=False)
    commune = CommuneField(
        label="Commune", help_text="Nom, code postal ou code INSEE", required=False
    )
    theme = forms.ChoiceField(label="Thème", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        self.fields["department"].choices = [("", "Tous")] + choices["department"]
        self.fields["theme"].choices = [("", "Tous")] + choices["theme"]
        for name in ("department", "theme"):
            self.fields[name].error_messages["invalid_choice"] = UNKNOWN_VALUE

    def filters(self) -> VolunteerCallFilters:
        data = getattr(self, "cleaned_data", {})
        commune = data.get("commune")
        return VolunteerCallFilters(
            department=data.get("department") or "",
            commune=commune.insee_code if commune else "",
            theme=data.get("theme") or "",
        )
