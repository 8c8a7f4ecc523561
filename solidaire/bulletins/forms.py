from django import forms
from dsfr.forms import DsfrBaseForm

from .models import ContactLabel

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
