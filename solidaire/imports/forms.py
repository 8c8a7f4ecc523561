from django import forms

from solidaire.forms import ControlCharactersMixin
from solidaire.initiatives.models import Campaign
from solidaire.territory.forms import CommunesField
from solidaire.territory.models import Department

MAX_PASTE = 200_000


class UploadForm(ControlCharactersMixin, forms.Form):
    file = forms.FileField(
        label="Fichier (.txt, .md, .html ou .pdf)",
        required=False,
        help_text="Bulletin, communiqué ou courriel enregistré.",
    )
    text = forms.CharField(
        label="Ou collez le texte",
        required=False,
        max_length=MAX_PASTE,
        widget=forms.Textarea(attrs={"rows": 8, "class": "fr-input"}),
        error_messages={
            "max_length": "Le texte est trop long (%(limit_value)d caractères au plus)."
        },
    )
    department = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez un de vos départements."},
    )
    campaign = forms.ModelChoiceField(
        label="Campagne",
        queryset=Campaign.objects.filter(is_active=True),
        empty_label=None,
        error_messages={"required": "Choisissez la campagne des initiatives."},
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Department.objects.all()
        if departments is not None:
            queryset = queryset.filter(code__in=departments)
        self.fields["department"].queryset = queryset
        self.fields["text"].widget.attrs["maxlength"] = MAX_PASTE

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Déposez un fichier ou collez un texte.")
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError("Déposez un fichier ou collez un texte, pas les deux.")
        return data


class InitiativeChoiceForm(ControlCharactersMixin, forms.Form):
    """One initiative found: keep it or not, and its communes as corrected."""

    include = forms.BooleanField(label="Créer cette initiative", required=False, initial=True)
    communes = CommunesField(label="Communes", required=False, max_communes=50)
