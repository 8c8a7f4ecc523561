"""Forms of the submission page, the submitter's edit page and the staff review page.

The three share InitiativeForm plus two formsets (quantities, contacts); what differs is
who may set the owning département and whether the anti-spam fields are present.
"""

import uuid
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Model, QuerySet
from django.db.models.functions import Coalesce

from solidaire.forms import DsfrBaseForm
from solidaire.lib.dates import format_date
from solidaire.lib.typography import format_count, quantity_phrase
from solidaire.territory.forms import CommunesField, commune_label, resolve_commune
from solidaire.territory.instance import instance
from solidaire.territory.models import Arrondissement, Commune, Department, Epci

from .models import ActorKind, Campaign, ContactKind, PlaceKind, Theme
from .services import normalize_contact
from .validators import format_phone, normalize_phone

# Fields at least this long show their limit and a live count (js/char-count.js).
COUNTED_LENGTH = 100


def _char_limit_hint(limit: int) -> str:
    return f"{format_count(limit)}\u00a0caractères au plus."


class FormBase(DsfrBaseForm):
    """DSFR rendering; checkboxes use local templates (django-dsfr's need widget_tweaks).

    Text inputs lose the HTML ``maxlength``, with which browsers silently cut a pasted
    text: the server refuses an over-long value with a message and keeps it as typed.
    Long fields say their limit in the hint (read without JavaScript) and carry it in
    ``data-char-limit`` for the live count.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.template_name = "initiatives/fields/choices.html"
            elif isinstance(field.widget, forms.CheckboxInput):
                field.template_name = "initiatives/fields/checkbox.html"
            limit = getattr(field, "max_length", None)
            if limit and not field.widget.is_hidden:
                field.widget.attrs.pop("maxlength", None)
                if limit >= COUNTED_LENGTH and "data-honeypot" not in field.widget.attrs:
                    field.widget.attrs["data-char-limit"] = str(limit)
                    hint = _char_limit_hint(limit)
                    field.help_text = f"{field.help_text} {hint}" if field.help_text else hint
                    # A bound field copies the hint when first built (DsfrBaseForm builds them).
                    self._bound_fields_cache.pop(name, None)


def themes_in_tree_order(queryset):
    """Each theme followed by its sub-themes, in their positions."""
    return queryset.select_related("parent").order_by(
        "campaign",
        Coalesce("parent__position", "position"),
        Coalesce("parent_id", "id"),
        F("parent_id").asc(nulls_first=True),
        "position",
        "name",
    )


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InitiativeForm(FormBase):
    title = forms.CharField(
        label="Titre de l'initiative",
        max_length=200,
        help_text="Une phrase courte, par exemple « 1 300 visières pour les soignants du Calaisis ».",
    )
    description = forms.CharField(
        label="Description",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Ce qui est fait, pour qui, comment. Texte simple ; **gras**, *italique*, "
        "listes et liens [texte](https://…) acceptés.",
    )
    campaign = forms.ModelChoiceField(
        label="Campagne",
        queryset=Campaign.objects.filter(is_active=True),
        empty_label=None,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=themes_in_tree_order(Theme.objects.filter(campaign__is_active=True)),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actor_name = forms.CharField(
        label="Porteur de l'initiative",
        max_length=200,
        help_text="L'entreprise, l'association, la commune, le club ou les habitants qui agissent.",
    )
    actor_kind = forms.ChoiceField(label="Type de porteur", choices=ActorKind.choices)
    beneficiaries = forms.CharField(
        label="Bénéficiaires",
        max_length=300,
        required=False,
        help_text="Par exemple : soignants, personnes âgées, commerçants.",
    )
    communes = CommunesField(
        label="Communes concernées",
        required=False,
        help_text="Une ou plusieurs communes (nom, code postal ou code INSEE).",
    )
    epci = forms.ModelChoiceField(
        label="Ou toute une intercommunalité",
        queryset=Epci.objects.all(),
        required=False,
        empty_label="Aucune",
    )
    arrondissement = forms.ModelChoiceField(
        label="Ou tout un arrondissement",
        queryset=Arrondissement.objects.select_related("department"),
        required=False,
        empty_label="Aucun",
    )
    department = forms.ModelChoiceField(
        label="Ou tout un département",
        queryset=Department.objects.all(),
        required=False,
        empty_label="Aucun",
    )
    start_date = forms.DateField(label="Date de début", required=False, widget=DATE_WIDGET)
    end_date = forms.DateField(label="Date de fin", required=False, widget=DATE_WIDGET)
    consent_public_contacts = forms.BooleanField(
        label="J'accepte que les contacts publics indiqués ci-dessus soient publiés",
        required=False,
    )
    submitter_name = forms.CharField(label="Votre nom", max_length=150)
    submitter_email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        help_text="Pour recevoir le lien qui permet de suivre et modifier votre proposition. "
        "Jamais publiée.",
    )
    submitter_phone = forms.CharField(
        label="Votre téléphone", max_length=30, required=False, help_text="Jamais publié."
    )
    # The version the form was filled from (see initiative_update's expected_version).
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        home = settings.HOME_DEPARTMENT
        territory = instance()
        codes = [home] if home else []
        if not home and territory.kind != "national":
            codes = list(territory.departments)
        if codes:
            # A prefecture's areas: a thousand EPCI in a select help nobody (and render slowly).
            self.fields["epci"].queryset = Epci.objects.filter(
                communes__department_id__in=codes
            ).distinct()
            self.fields["arrondissement"].queryset = Arrondissement.objects.filter(
                department_id__in=codes
            )

    error_messages = {
        "no_place": "Indiquez au moins une commune ou un territoire.",
        "dates": "La date de fin doit être postérieure à la date de début.",
        "theme": "Ce thème n'appartient pas à la campagne choisie.",
    }

    def clean_submitter_phone(self):
        value = self.cleaned_data["submitter_phone"].strip()
        return normalize_phone(value) if value else ""

    def clean(self):
        data = super().clean()
        places = self.places_from(data)
        if not places and not self.has_error("communes"):
            self.add_error("communes", self.error_messages["no_place"])
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", self.error_messages["dates"])
        campaign = data.get("campaign")
        if campaign and any(t.campaign_id != campaign.pk for t in data.get("themes") or ()):
            self.add_error("themes", self.error_messages["theme"])
        return data

    @staticmethod
    def places_from(data) -> list[tuple[str, str]]:
        places = [(PlaceKind.COMMUNE, c.pk) for c in data.get("communes") or ()]
        for kind, name in (
            (PlaceKind.EPCI, "epci"),
            (PlaceKind.ARRONDISSEMENT, "arrondissement"),
            (PlaceKind.DEPARTMENT, "department"),
        ):
            if data.get(name):
                places.append((kind, data[name].pk))
        return places

    def service_kwargs(self, quantities, contacts) -> dict:
        """What initiative_create / initiative_update take."""
        data = dict(self.cleaned_data)
        return {
            "data": data,
            "themes": data.get("themes") or (),
            "places": self.places_from(data),
            "quantities": quantities.rows(),
            "contacts": contacts.rows(),
        }

    @staticmethod
    def initial_from(initiative) -> dict:
        places = list(initiative.places.select_related("commune"))
        first = {p.kind: p for p in reversed(places)}
        return {
            "title": initiative.title,
            "description": initiative.description,
            "campaign": initiative.campaign_id,
            "themes": list(initiative.themes.values_list("pk", flat=True)),
            "actor_name": initiative.actor_name,
            "actor_kind": initiative.actor_kind,
            "beneficiaries": initiative.beneficiaries,
            "communes": [p.commune for p in places if p.commune_id],
            "epci": first[PlaceKind.EPCI].epci_id if PlaceKind.EPCI in first else None,
            "arrondissement": first[PlaceKind.ARRONDISSEMENT].arrondissement_id
            if PlaceKind.ARRONDISSEMENT in first
            else None,
            "department": first[PlaceKind.DEPARTMENT].department_id
            if PlaceKind.DEPARTMENT in first
            else None,
            "start_date": initiative.start_date,
            "end_date": initiative.end_date,
            "consent_public_contacts": initiative.consent_public_contacts,
            "submitter_name": initiative.submitter_name,
            "submitter_email": initiative.submitter_email,
            "submitter_phone": initiative.submitter_phone,
            "owner_department": initiative.owner_department_id,
            "version": initiative.version,
        }

    def differences(self, quantities, contacts, stored) -> list[dict]:
        """The fields whose valid typed value differs from ``stored``, with both values.

        Each is {"label", "typed", "stored"}, as a person reads them, so a moderator whose
        save was refused (someone saved meanwhile) can see what each version says.
        """
        initial = self.initial_from(stored)
        rows = []
        for name, field in self.fields.items():
            if name not in initial or name == "version" or field.widget.is_hidden:
                continue
            typed = _display(field, self.cleaned_data.get(name))
            kept = _display(field, initial[name])
            if typed != kept:
                rows.append({"label": field.label, "typed": typed, "stored": kept})
        for label, typed, kept in (
            (
                "Quantités",
                [_quantity_display(row) for row in quantities.rows()],
                [_quantity_display(q.__dict__) for q in stored.quantities.all()],
            ),
            (
                "Contacts publics",
                [_contact_display(row) for row in contacts.rows()],
                [_contact_display(c.__dict__) for c in stored.contacts.all()],
            ),
        ):
            if typed != kept:
                rows.append(
                    {
                        "label": label,
                        "typed": " ; ".join(typed) or EMPTY,
                        "stored": " ; ".join(kept) or EMPTY,
                    }
                )
        return rows


EMPTY = "(vide)"


def _display(field, value) -> str:
    """A form value as a person reads it, whether it is cleaned or an initial pk."""
    if value is None or value == "" or (isinstance(value, list | tuple) and not value):
        return EMPTY
    if isinstance(field, forms.BooleanField):
        return "oui" if value else "non"
    if isinstance(field, forms.ModelMultipleChoiceField):
        objects = value if isinstance(value, QuerySet) else field.queryset.filter(pk__in=value)
        return ", ".join(sorted(str(o) for o in objects)) or EMPTY
    if isinstance(value, list | tuple | QuerySet):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(field, forms.ModelChoiceField):
        if not isinstance(value, Model):
            value = field.queryset.filter(pk=value).first()
        return str(value) if value is not None else EMPTY
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _quantity_display(row) -> str:
    return quantity_phrase(
        row["count"],
        row["item"].strip(),
        approximate=bool(row.get("approximate")),
        period=(row.get("period") or "").strip(),
    )


def _contact_display(row) -> str:
    return f"{ContactKind(row['kind']).label} : {row['value']}"


class ProposeForm(InitiativeForm):
    """The public form: adds the anti-spam honeypot and the idempotency key."""

    # Hidden from people (CSS and aria-hidden); robots fill every field they see.
    website = forms.CharField(
        label="Laissez ce champ vide",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"data-honeypot": ""}),
    )
    submission_key = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class StaffInitiativeForm(InitiativeForm):
    """Staff entry and review: the owning département may be chosen, submitter optional."""

    owner_department = forms.ModelChoiceField(
        label="Département de rattachement",
        queryset=Department.objects.all(),
        help_text="La préfecture qui modère et publie cette initiative.",
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submitter_name"].required = False
        self.fields["submitter_email"].required = False
        self.fields["owner_department"].initial = settings.HOME_DEPARTMENT
        if departments is None:  # admins: every département and every area
            self.fields["epci"].queryset = Epci.objects.all()
            self.fields["arrondissement"].queryset = Arrondissement.objects.all()
            return
        self.fields["owner_department"].queryset = Department.objects.filter(code__in=departments)
        # Areas of the home département and of those the moderator looks after.
        codes = {*departments, settings.HOME_DEPARTMENT} - {""}
        self.fields["epci"].queryset = Epci.objects.filter(
            communes__department_id__in=codes
        ).distinct()
        self.fields["arrondissement"].queryset = Arrondissement.objects.filter(
            department_id__in=codes
        )


class QuantityForm(FormBase):
    count = forms.IntegerField(label="Nombre", min_value=1, max_value=100_000_000)
    approximate = forms.BooleanField(label="Environ", required=False)
    item = forms.CharField(
        label="Quoi", max_length=100, help_text="Par exemple : visières, masques, repas."
    )
    period = forms.CharField(
        label="En combien de temps",
        max_length=100,
        required=False,
        help_text="Par exemple : trois semaines.",
    )


class ContactForm(FormBase):
    # An initial value, so that an untouched empty row counts as unchanged and is skipped.
    kind = forms.ChoiceField(
        label="Type de contact", choices=ContactKind.choices, initial=ContactKind.URL
    )
    value = forms.CharField(
        label="Contact public",
        max_length=500,
        help_text="Adresse web, e-mail, téléphone, commune de la mairie (« Auprès de la "
        "mairie » : nom, code postal ou code INSEE) ou précision.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("value"):
            try:
                if data["kind"] == ContactKind.MAIRIE:
                    data["value"] = self._mairie_code(data["value"])
                data["value"] = normalize_contact(data["kind"], data["value"])
            except ValidationError as error:
                self.add_error("value", error)
        return data

    @staticmethod
    def _mairie_code(text: str) -> str:
        """The INSEE code of the commune typed as people type it ("Calais", "62100")."""
        resolution = resolve_commune(text)
        if resolution.commune is None:
            raise ValidationError(resolution.error, code="commune")
        return resolution.commune.insee_code


class RowsFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


# absolute_max: a forged TOTAL_FORMS builds no more rows than allowed (Django's default,
# max_num + 1000, let one POST render two thousand rows).
QuantityFormSet = forms.formset_factory(
    QuantityForm, formset=RowsFormSet, extra=2, max_num=30, absolute_max=30, validate_max=True
)
ContactFormSet = forms.formset_factory(
    ContactForm, formset=RowsFormSet, extra=2, max_num=10, absolute_max=10, validate_max=True
)


def _contact_initial(contact) -> str:
    """What the form shows of a stored contact: a mairie by its commune, as typed, a phone
    in the national format (cleaning stores it back as the same E.164 number)."""
    if contact.kind == ContactKind.PHONE:
        return format_phone(contact.value)
    if contact.kind == ContactKind.MAIRIE:
        commune = Commune.objects.filter(pk=contact.value).first()
        return commune_label(commune) if commune else contact.value
    return contact.value


def build_forms(form_class, data=None, *, initiative=None, **form_kwargs):
    """The main form and its two formsets, bound to ``data`` or filled from ``initiative``."""
    if initiative is not None and data is None:
        initial = InitiativeForm.initial_from(initiative)
        if initial["submitter_phone"]:
            initial["submitter_phone"] = format_phone(initial["submitter_phone"])
        form = form_class(initial=initial, **form_kwargs)
        quantities = QuantityFormSet(
            prefix="quantites",
            initial=[
                {"count": q.count, "approximate": q.approximate, "item": q.item, "period": q.period}
                for q in initiative.quantities.all()
            ],
        )
        contacts = ContactFormSet(
            prefix="contacts",
            initial=[
                {"kind": c.kind, "value": _contact_initial(c)} for c in initiative.contacts.all()
            ],
        )
        return form, quantities, contacts
    form = form_class(data, **form_kwargs)
    return (
        form,
        QuantityFormSet(data, prefix="quantites"),
        ContactFormSet(data, prefix="contacts"),
    )


def all_valid(form, quantities, contacts) -> bool:
    valid = all([form.is_valid(), quantities.is_valid(), contacts.is_valid()])
    if valid and contacts.rows() and not form.cleaned_data.get("consent_public_contacts"):
        form.add_error(
            "consent_public_contacts",
            "Cochez cette case pour que les contacts publics puissent être publiés, "
            "ou retirez-les.",
        )
        return False
    return valid
