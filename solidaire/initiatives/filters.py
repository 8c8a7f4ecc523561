"""The one parser of the public filters: the public list and map, the API, the exports and
the figures.

One serializer turns query parameters into ``InitiativeFilters``; every consumer then calls
``initiative_search`` so that the same parameters give the same initiatives everywhere. The
API refuses any invalid parameter (400); the list applies the valid ones and shows the
others' errors in its own words (``forms_public.InitiativeFilterForm``).
"""

import re
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import serializers

from solidaire.territory.models import Arrondissement, Commune, Department, Epci

from .models import ActorKind, Campaign, Status, Theme
from .selectors import InitiativeFilters

Q_MAX_LENGTH = 1000  # as the public list form
# Past this, a query string is an error or an attack, never a real filter.
QUERY_STRING_MAX_LENGTH = 4096
# Django refuses more than 1,000 fields with an exception: answer before parsing.
QUERY_MAX_FIELDS = 100
PUBLIC_STATUS_VALUES = [Status.PUBLISHED.value, Status.ARCHIVED.value]


def _unknown(value: str, allowed: list[str], limit: int = 60) -> str:
    shown = ", ".join(allowed[:limit])
    more = " …" if len(allowed) > limit else ""
    return f"Valeur inconnue « {value} ». Valeurs possibles : {shown}{more}."


class ChoiceCode(serializers.CharField):
    """A code checked against a list of allowed values, listed in the error."""

    def __init__(self, *, allowed, **kwargs):
        self.allowed = allowed
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        allowed = self.allowed() if callable(self.allowed) else self.allowed
        if value and value not in allowed:
            raise serializers.ValidationError(_unknown(value, list(allowed)))
        return value


# The codes of each reference table: (shape, what the error shows, label).
CODE_SHAPES = {
    Commune: (r"[0-9][0-9AB][0-9]{3}", "code INSEE à 5 caractères, ex. 62041", "Code INSEE"),
    Epci: (r"[0-9]{9}", "numéro SIREN à 9 chiffres, ex. 200033579", "EPCI"),
    Arrondissement: (
        r"[0-9][0-9AB][0-9]{1,2}",
        "code à 3 ou 4 caractères, ex. 621",
        "Arrondissement",
    ),
}


class ExistingCode(serializers.CharField):
    """A territorial code checked against the reference table (too many values to list)."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        regex, self.pattern, self.code_label = CODE_SHAPES[model]
        self.regex = re.compile(regex)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 9)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).upper()
        # The shape first: the database never sees control characters or NUL bytes.
        if value and (
            not self.regex.fullmatch(value) or not self.model.objects.filter(pk=value).exists()
        ):
            raise serializers.ValidationError(
                f"{self.code_label} inconnu : « {value} » ({self.pattern})."
            )
        return value


def _campaign_slugs() -> list[str]:
    return list(Campaign.objects.order_by("slug").values_list("slug", flat=True))


def _theme_slugs() -> list[str]:
    return list(Theme.objects.order_by("slug").values_list("slug", flat=True).distinct())


def _department_codes() -> list[str]:
    return list(Department.objects.order_by("code").values_list("code", flat=True))


def _department_code(help_text: str) -> ChoiceCode:
    # Codes are listed upper case ("2A"): a value is accepted only as written there.
    return ChoiceCode(allowed=_department_codes, max_length=3, help_text=help_text)


class InitiativeFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=Q_MAX_LENGTH,
        trim_whitespace=True,
        help_text="Mots recherchés dans le titre, la description, le porteur et les lieux.",
    )
    campaign = ChoiceCode(allowed=_campaign_slugs, help_text="Identifiant (slug) de la campagne.")
    theme = ChoiceCode(allowed=_theme_slugs, help_text="Identifiant (slug) du thème.")
    commune = ExistingCode(
        model=Commune, help_text="Code INSEE de la commune (ex. 62041 pour Arras)."
    )
    epci = ExistingCode(model=Epci, help_text="SIREN de l'intercommunalité.")
    arrondissement = ExistingCode(
        model=Arrondissement, help_text="Code de l'arrondissement (ex. 621 pour Arras)."
    )
    department = _department_code("Département d'un des lieux (ex. 62).")
    owner_department = _department_code("Département de rattachement (ex. 62).")
    actor_kind = ChoiceCode(allowed=ActorKind.values, max_length=20, help_text="Type de porteur.")
    status = ChoiceCode(
        allowed=PUBLIC_STATUS_VALUES,
        max_length=20,
        help_text="published ou archived ; vide pour les deux.",
    )
    updated_since = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="Date (AAAA-MM-JJ) ou date et heure ISO 8601 : modifiées depuis.",
    )

    def validate_q(self, value):
        if "\x00" in value:
            raise serializers.ValidationError("Caractère interdit dans la recherche.")
        return value

    def validate_updated_since(self, value):
        if not value:
            return None
        try:
            moment = parse_datetime(value)
            if moment is None:
                day = parse_date(value)
                if day is None:
                    raise ValueError
                moment = datetime(day.year, day.month, day.day)
        except (ValueError, OverflowError):
            raise serializers.ValidationError(
                "Date invalide : utilisez AAAA-MM-JJ ou AAAA-MM-JJTHH:MM:SS+01:00."
            ) from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def to_filters(self) -> InitiativeFilters:
        data = {k: v for k, v in self.validated_data.items() if v not in ("", None)}
        return InitiativeFilters(**data)


FILTER_NAMES = list(InitiativeFilterSerializer().fields)


def query_string_error(query_string: str) -> str | None:
    """A French message when the raw query string is too long or has too many fields."""
    if len(query_string) > QUERY_STRING_MAX_LENGTH:
        return f"Requête trop longue (plus de {QUERY_STRING_MAX_LENGTH} caractères)."
    if query_string.count("&") + query_string.count(";") >= QUERY_MAX_FIELDS:
        return f"Trop de paramètres (plus de {QUERY_MAX_FIELDS})."
    return None


def parse_filters(params) -> tuple[InitiativeFilters, dict]:
    """(the filters of the valid ``params``, the others' errors in DRF's shape).

    Filters are independent: an invalid one leaves out only itself.
    """
    data = {name: params.get(name) for name in FILTER_NAMES if params.get(name) is not None}
    serializer = InitiativeFilterSerializer(data=data)
    if serializer.is_valid():
        return serializer.to_filters(), {}
    errors = serializer.errors
    valid = InitiativeFilterSerializer(data={k: v for k, v in data.items() if k not in errors})
    valid.is_valid(raise_exception=True)
    return valid.to_filters(), errors
