from django import forms

from solidaire.initiatives.erasers import phone_parts
from solidaire.initiatives.forms import FormBase, themes_in_tree_order
from solidaire.initiatives.models import Campaign, Source, Status, Theme
from solidaire.lib.redact import name_forms
from solidaire.territory.models import Arrondissement, Department, Epci

from .selectors import QueueFilters

AGE_CHOICES = [
    ("", "Toutes"),
    ("2", "Plus de 2 jours"),
    ("7", "Plus de 7 jours"),
    ("30", "Plus de 30 jours"),
]


class QueueFilterForm(FormBase):
    status = forms.ChoiceField(
        label="Statut", choices=[("", "Tous")] + Status.choices, required=False
    )
    campaign = forms.ModelChoiceField(
        label="Campagne",
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Toutes",
    )
    theme = forms.ModelChoiceField(
        label="Thème",
        queryset=themes_in_tree_order(Theme.objects.all()),
        to_field_name="slug",
        required=False,
        empty_label="Tous",
    )
    department = forms.ModelChoiceField(
        label="Département", queryset=Department.objects.all(), required=False, empty_label="Tous"
    )
    arrondissement = forms.ModelChoiceField(
        label="Arrondissement",
        queryset=Arrondissement.objects.all(),
        required=False,
        empty_label="Tous",
    )
    epci = forms.ModelChoiceField(
        label="Intercommunalité", queryset=Epci.objects.all(), required=False, empty_label="Toutes"
    )
    age = forms.ChoiceField(label="Ancienneté", choices=AGE_CHOICES, required=False)
    source = forms.ChoiceField(
        label="Origine", choices=[("", "Toutes")] + Source.choices, required=False
    )
    reported = forms.BooleanField(label="Avec un signalement ouvert", required=False)
    no_contact = forms.BooleanField(label="Sans contact public", required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            # Only what the user moderates: the 59's areas mean nothing to a 62 moderator.
            self.fields["department"].queryset = Department.objects.filter(code__in=departments)
            self.fields["arrondissement"].queryset = Arrondissement.objects.filter(
                department_id__in=departments
            )
            self.fields["epci"].queryset = Epci.objects.filter(
                communes__department_id__in=departments
            ).distinct()

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters(status=Status.SUBMITTED)
        data = self.cleaned_data
        return QueueFilters(
            status=data["status"],
            campaign=data["campaign"].slug if data["campaign"] else "",
            theme=data["theme"].slug if data["theme"] else "",
            department=data["department"].pk if data["department"] else "",
            arrondissement=data["arrondissement"].pk if data["arrondissement"] else "",
            epci=data["epci"].pk if data["epci"] else "",
            age=data["age"],
            source=data["source"],
            reported=data["reported"],
            no_contact=data["no_contact"],
        )


class MessageForm(FormBase):
    message = forms.CharField(
        label="Message",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ErasureForm(FormBase):
    """Who to erase: any of a name, an e-mail and a phone, written as the person gave them."""

    name = forms.CharField(
        label="Prénom et nom",
        max_length=150,
        required=False,
        help_text="Trouvé quelles que soient la casse et les accents, et nom en premier.",
    )
    email = forms.EmailField(label="Adresse e-mail", max_length=254, required=False)
    phone = forms.CharField(
        label="Téléphone",
        max_length=30,
        required=False,
        help_text="Trouvé quelle que soit sa forme : 03 21 61 36 10, +33 3 21 61 36 10…",
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name and not name_forms(name):
            raise forms.ValidationError(
                "Indiquez le prénom et le nom (cinq lettres au moins) : un mot seul "
                "effacerait aussi des noms de lieux."
            )
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and phone_parts(phone) is None:
            raise forms.ValidationError("Saisissez un numéro de téléphone valide.")
        return phone

    def __init__(self, *args, require_one: bool = True, **kwargs):
        # For an initiative's submitter the initiative itself designates the person.
        self.require_one = require_one
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if (
            self.require_one
            and not self.errors
            and not any(data.get(name) for name in ("name", "email", "phone"))
        ):
            raise forms.ValidationError("Indiquez au moins le nom, l'e-mail ou le téléphone.")
        return data
