"""Form fields that take a commune as people type it: name (with typos), postal or INSEE code.

With JavaScript, ``static/js/commune-autocomplete.js`` turns the text input into an ARIA
combobox and posts the chosen INSEE code: in ``<name>__insee`` for ``CommuneField``, in
``<name>`` (one input per commune) for ``CommunesField``, whose text goes in
``<name>__search``. Without it,
the field is a plain text input resolved here through the finder; an ambiguous or unknown
entry gives a French error that lists the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from solidaire.forms import DsfrBaseForm

from .finder import SCORE_EXACT, QueryError, find_communes
from .models import Commune

MAX_INPUT_LENGTH = 100
MAX_CANDIDATES = 6
MAX_CODES = 200
# "Calais (62100)": the label the autocomplete writes back, which the server parses again.
_LABEL_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\w{5})\)\s*$")
_SEPARATORS_RE = re.compile(r"[;,\n]+")


def commune_label(commune) -> str:
    """Name and first postal code, as shown in the input: "Calais (62100)"."""
    codes = commune.postal_code_list if isinstance(commune, Commune) else commune.postal_codes
    return f"{commune.name} ({codes[0]})" if codes else commune.name


@dataclass
class Resolution:
    commune: Commune | None
    candidates: list  # CommuneMatch, best first, when ambiguous
    error: str = ""


def resolve_commune(text: str) -> Resolution:
    """Turn what was typed into one commune, or say why not (in French)."""
    text = (text or "").strip()
    if not text:
        return Resolution(
            None, [], "Saisissez le nom, le code postal ou le code INSEE d'une commune."
        )
    label = _LABEL_RE.match(text)
    try:
        if label:
            code = label["code"].upper()
            matches = [
                m
                for m in find_communes(label["name"], 50)
                if code in m.postal_codes or m.insee_code == code
            ]
        else:
            matches = find_communes(text, 10)
    except QueryError as error:
        return Resolution(None, [], str(error))
    exact = [m for m in matches if m.score >= SCORE_EXACT]
    if text.isdigit() and len(text) == 5:
        # Five digits are a postal code first: people know theirs ("62100" is Calais,
        # though also the INSEE code of Beaurainville); a shared one lists its communes.
        # Else an INSEE code. Code that posts INSEE codes uses "<name>__insee".
        by_postal = [m for m in exact if text in m.postal_codes]
        exact = by_postal or exact
    chosen = exact if exact else matches
    if len(chosen) == 1:
        return Resolution(Commune.objects.get(pk=chosen[0].insee_code), [])
    if not matches:
        return Resolution(
            None,
            [],
            f"Aucune commune ne correspond à « {text} ». "
            "Vérifiez l'orthographe, ou essayez le code postal ou le code INSEE.",
        )
    names = ", ".join(f"{m.name} ({m.department_code})" for m in chosen[:MAX_CANDIDATES])
    more = " …" if len(chosen) > MAX_CANDIDATES else ""
    return Resolution(
        None,
        chosen,
        f"Plusieurs communes correspondent à « {text} » : {names}{more}. "
        "Précisez le nom complet, le code postal ou le code INSEE.",
    )


class TypedText(str):
    """What was typed and could not be resolved: shown back as typed, never read as a code."""


class CommuneWidget(forms.TextInput):
    template_name = "territory/widgets/commune_autocomplete.html"

    def __init__(self, attrs=None, *, submit_on_select=False):
        # submit_on_select: picking a suggestion submits the form (search pages).
        self.submit_on_select = submit_on_select
        defaults = {"class": "fr-input", "autocomplete": "off", "maxlength": MAX_INPUT_LENGTH}
        super().__init__({**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["api_url"] = reverse("opendata:api-communes")
        context["submit_on_select"] = self.submit_on_select
        # The chosen commune's INSEE code: the JavaScript puts it in "<name>__insee", so a
        # round trip keeps the commune even when its label is ambiguous.
        context["insee_code"] = value.pk if isinstance(value, Commune) else ""
        return context

    def format_value(self, value):
        if isinstance(value, TypedText):
            return str(value)
        if isinstance(value, Commune):
            return commune_label(value)
        if isinstance(value, str) and len(value) == 5:
            commune = Commune.objects.filter(pk=value).first()
            if commune:
                return commune_label(commune)
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        # The INSEE code picked in the autocomplete wins over the free text it describes.
        code = data.get(f"{name}__insee")
        commune = Commune.objects.filter(pk=code).first() if code and len(code) <= 5 else None
        return commune or data.get(name)


class CommuneField(forms.Field):
    widget = CommuneWidget
    default_error_messages = {
        "required": "Indiquez une commune.",
        "max_length": f"Ce texte est trop long ({MAX_INPUT_LENGTH} caractères au maximum).",
    }

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        value = (value or "").strip()
        if not value:
            return None
        if len(value) > MAX_INPUT_LENGTH:
            raise ValidationError(self.error_messages["max_length"], code="max_length")
        resolution = resolve_commune(value)
        if resolution.commune is None:
            raise ValidationError(resolution.error, code="invalid")
        return resolution.commune

    def prepare_value(self, value):
        return value

    def bound_data(self, data, initial):
        # Show the commune the text resolved to ("62100" → "Calais (62100)"), so that the
        # re-rendered page never reads the typed postal code back as an INSEE code.
        if isinstance(data, Commune) or not isinstance(data, str) or not data.strip():
            return data
        try:
            return self.to_python(data)
        except ValidationError:
            return TypedText(data)


class CommunesWidget(forms.Widget):
    """The chosen communes as ``<name>`` checkboxes of INSEE codes (the JavaScript shows
    them as removable tags) plus a ``<name>__search`` text input (names or codes,
    comma-separated)."""

    template_name = "territory/widgets/communes_autocomplete.html"

    def __init__(self, attrs=None):
        defaults = {"class": "fr-input", "autocomplete": "off", "maxlength": MAX_INPUT_LENGTH}
        super().__init__({**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, str):  # an initial "62193, 62041"
            value = [t.strip() for t in _SEPARATORS_RE.split(value) if t.strip()]
        chosen, pending = [], []
        for item in value or []:
            commune = item if isinstance(item, Commune) else None
            if commune is None and isinstance(item, str) and len(item) == 5:
                commune = Commune.objects.filter(pk=item.upper()).first()
            if commune:
                if commune.pk not in [c.pk for c in chosen]:
                    chosen.append(commune)
            elif item:
                pending.append(str(item))
        context["chosen"] = [(c.pk, commune_label(c)) for c in chosen]
        context["pending"] = ", ".join(pending)
        context["api_url"] = reverse("opendata:api-communes")
        return context

    def value_from_datadict(self, data, files, name):
        items = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(items, str):
            items = [items]
        items = [item.strip() for item in items[:MAX_CODES] if item and item.strip()]
        # "<name>" carries INSEE codes (chosen tags, or code that posts them): never read
        # as postal codes. Anything else there is treated like typed text.
        by_code = Commune.objects.in_bulk([i.upper() for i in items if len(i) == 5])
        chosen, typed = [], []
        for item in items:
            if item.upper() in by_code:
                chosen.append(by_code[item.upper()])
            else:
                typed.extend(t.strip() for t in _SEPARATORS_RE.split(item) if t.strip())
        search = data.get(f"{name}__search", "") or ""
        typed += [t.strip() for t in _SEPARATORS_RE.split(search) if t.strip()]
        return chosen + typed

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}__search" not in data


class CommunesField(forms.Field):
    widget = CommunesWidget
    default_error_messages = {
        "required": "Indiquez au moins une commune.",
        "too_many": "Indiquez au plus %(max)s communes.",
        "max_length": f"Ce texte est trop long ({MAX_INPUT_LENGTH} caractères au maximum).",
    }

    def __init__(self, *, max_communes: int = 30, **kwargs):
        self.max_communes = max_communes
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        if len(value) > self.max_communes:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_communes}
            )
        communes, errors = [], []
        for item in value:
            if isinstance(item, Commune):
                commune = item
            else:
                item = str(item).strip()
                if len(item) > MAX_INPUT_LENGTH:
                    errors.append(self.error_messages["max_length"])
                    continue
                resolution = resolve_commune(item)
                if resolution.commune is None:
                    errors.append(resolution.error)
                    continue
                commune = resolution.commune
            if commune.pk not in {c.pk for c in communes}:
                communes.append(commune)
        if errors:
            raise ValidationError(errors, code="invalid")
        return communes

    def prepare_value(self, value):
        return value


class CommuneSearchForm(DsfrBaseForm):
    """The "Trouver ma commune" search: picking a suggestion submits it."""

    q = CommuneField(
        label="Nom, code postal ou code INSEE de la commune",
        help_text="Par exemple : Calais, 62100, Saint-Étienne-au-Mont.",
        widget=CommuneWidget(submit_on_select=True),
    )
