from django import forms

from solidaire.forms import DsfrBaseForm
from solidaire.initiatives.forms import FormBase
from solidaire.territory.models import Department

from .models import ContactLabel
from .services import SeriesDraft, campaign_name_taken

TEXTAREA = {"rows": 5}


class BulletinTextsForm(DsfrBaseForm):
    issue_date = forms.DateField(
        label="Date de parution",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide."},
    )
    introduction = forms.CharField(
        label="Introduction",
        help_text="Séparez les paragraphes par une ligne vide.",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    closing = forms.CharField(
        label="Mot de conclusion",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    calls_to_action = forms.CharField(
        label="Appels à l'action",
        help_text="Par exemple : missions de la réserve civique, avec leur adresse.",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The version the page was built from (see Bulletin.version).
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Ce formulaire est incomplet : rechargez la page."},
    )


class PublishForm(DsfrBaseForm):
    """The confirmation step: its buttons say whether the number is e-mailed."""

    send = forms.ChoiceField(choices=[("1", "Publier et envoyer"), ("0", "Publier sans envoyer")])
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ItemForm(DsfrBaseForm):
    paragraph = forms.CharField(
        label="Paragraphe",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Le paragraphe ne peut pas être vide."},
    )
    contact_label = forms.ChoiceField(label="Intitulé", choices=ContactLabel.choices)
    contact_text = forms.CharField(
        label="Adresse, e-mail ou téléphone", max_length=500, required=False
    )
    theme = forms.ModelChoiceField(
        label="Rubrique",
        queryset=None,
        required=False,
        empty_label="Autres initiatives",
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes


class CorrectionForm(DsfrBaseForm):
    note = forms.CharField(
        label="Motif de la correction",
        help_text="Affiché aux lecteurs avec la date de la correction.",
        max_length=500,
        error_messages={"required": "Indiquez le motif de la correction."},
    )


class InitiativeSearchForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher une initiative publiée", max_length=200, required=False)


class SubscribeForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        help_text="Format attendu : nom@domaine.fr",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Cette adresse e-mail n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )


class CrisisForm(FormBase):
    """The "Nouvelle crise" screen: a campaign, its themes and, optionally, its series."""

    name = forms.CharField(
        label="Nom de la campagne",
        help_text="Par exemple : Inondations de novembre.",
        max_length=120,
    )
    departments = forms.ModelMultipleChoiceField(
        label="Départements concernés",
        queryset=Department.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.CharField(
        label="Thèmes",
        help_text=(
            "Un thème par ligne. Pour un sous-thème, commencez la ligne par deux espaces "
            "ou une tabulation, sous son thème parent. Les lignes vides et les doublons "
            "sont ignorés."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    with_series = forms.BooleanField(label="Créer une série de bulletins", required=False)
    series_title = forms.CharField(label="Titre de la série", max_length=200, required=False)
    series_department = forms.ModelChoiceField(
        label="Département de la série",
        queryset=Department.objects.order_by("code"),
        required=False,
    )
    series_authority = forms.CharField(
        label="Autorité émettrice",
        help_text="Le bloc-marque du PDF, par exemple : Préfet du Pas-de-Calais.",
        max_length=120,
        required=False,
    )
    series_place = forms.CharField(label="Lieu d'émission", max_length=100, required=False)
    series_first_number = forms.IntegerField(
        label="Premier numéro", min_value=1, initial=1, required=False
    )
    close_previous = forms.BooleanField(required=False)

    SERIES_REQUIRED = {
        "series_department": "Choisissez le département de la série.",
        "series_authority": "Indiquez l'autorité émettrice.",
        "series_place": "Indiquez le lieu d'émission.",
        "series_first_number": "Indiquez le premier numéro (1 ou plus).",
    }

    def __init__(self, *args, running=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = ", ".join(f"« {c.name} »" for c in running)
        if names:
            s = "s" if len(running) > 1 else ""
            self.fields["close_previous"].label = f"Clore la campagne{s} en cours : {names}"
            # A bound field copies its label when first built (DsfrBaseForm builds them).
            self._bound_fields_cache.pop("close_previous", None)
        else:
            del self.fields["close_previous"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if campaign_name_taken(name):
            raise forms.ValidationError("Une campagne porte déjà ce nom : choisissez-en un autre.")
        return name

    def clean(self):
        data = super().clean()
        if data.get("with_series"):
            for field, message in self.SERIES_REQUIRED.items():
                if field in data and data[field] in (None, ""):
                    self.add_error(field, message)
        return data

    def series_draft(self) -> SeriesDraft | None:
        data = self.cleaned_data
        if not data.get("with_series"):
            return None
        return SeriesDraft(
            title=data["series_title"],
            department=data["series_department"],
            authority=data["series_authority"],
            place=data["series_place"],
            first_number=data["series_first_number"],
        )
