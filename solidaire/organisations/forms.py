"""Forms of the organisation's space and of the prefecture's organisation pages."""

import uuid

from django import forms

from solidaire.forms import DsfrBaseForm
from solidaire.initiatives.forms import InitiativeForm
from solidaire.territory.forms import CommuneField

from .models import Kind, MemberRole


class MemberInitiativeForm(InitiativeForm):
    """The initiative form of a member: the submitter is the member (private, never
    published), and a proposal carries an idempotency key."""

    submission_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submitter_name"].label = "Personne à contacter dans l'organisation"
        self.fields["submitter_email"].label = "Son adresse e-mail"
        self.fields[
            "submitter_email"
        ].help_text = "Pour les nouvelles de la préfecture sur cette initiative. Jamais publiée."
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


class OrganisationDetailsForm(DsfrBaseForm):
    """What an organisation is: proposed by its first member, completed by the prefecture."""

    name = forms.CharField(
        label="Nom de l'organisation",
        max_length=200,
        help_text="Tel qu'il sera affiché, par exemple « CCAS d'Arras ».",
        error_messages={"required": "Indiquez le nom de l'organisation."},
    )
    kind = forms.ChoiceField(
        label="Type d'organisation",
        choices=[("", "Choisissez")] + Kind.choices,
        error_messages={"required": "Choisissez le type d'organisation."},
    )
    commune = CommuneField(
        label="Commune du siège",
        help_text="Nom, code postal ou code INSEE. Elle décide de la préfecture qui valide.",
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A moderator approves for their own départements only (None: every one).
        self.departments = departments

    def clean_commune(self):
        commune = self.cleaned_data["commune"]
        if (
            commune
            and self.departments is not None
            and commune.department_id not in self.departments
        ):
            raise forms.ValidationError(
                "Cette commune n'est pas dans un département que vous modérez."
            )
        return commune


class RefuseForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Montré aux membres de l'organisation.",
        error_messages={"required": "Indiquez le motif du refus."},
    )


class InviteForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse e-mail professionnelle de votre collègue",
        max_length=254,
        help_text="Votre collègue se connecte ensuite avec ProConnect, au nom de la même "
        "organisation (même SIRET).",
        error_messages={
            "required": "Indiquez l'adresse e-mail de votre collègue.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@mairie.fr.",
        },
    )
    role = forms.ChoiceField(label="Rôle", choices=MemberRole.choices, initial=MemberRole.MEMBER)


class AttachForm(DsfrBaseForm):
    initiative = forms.IntegerField(
        label="Numéro de l'initiative",
        min_value=1,
        help_text="Le numéro affiché dans l'adresse de sa page de relecture "
        "(/gestion/initiatives/<numéro>/).",
        error_messages={
            "required": "Indiquez le numéro de l'initiative.",
            "invalid": "Saisissez un nombre.",
            "min_value": "Saisissez un nombre.",
        },
    )
