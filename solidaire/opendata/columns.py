"""The columns of the bulk exports, defined once: the CSV and JSON rows and the
Frictionless Table Schema of ``datapackage.json`` are all built from this list.

Submitter data (name, e-mail, phone, private link) is deliberately absent: a column
exists only if it is listed here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from solidaire.initiatives.models import Initiative

from .selectors import initiative_points, place_code, place_name

SEPARATOR = " ; "


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type
    title_fr: str
    description_fr: str
    description_en: str
    get: Callable[[Initiative], Any]
    required: bool = False


def _iso(moment) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date(day) -> str | None:
    return day.isoformat() if day else None


def initiative_url(pk: int) -> str:
    try:
        path = reverse("initiatives:detail", args=[pk])
    except NoReverseMatch:
        path = f"/initiatives/{pk}/"
    return f"{settings.SITE_ROOT}{path}"


def _join(values) -> str:
    return SEPARATOR.join(v for v in values if v)


def _codes(initiative, kind) -> str:
    return _join(place_code(p) for p in initiative.places.all() if p.kind == kind)


def _first_point(initiative):
    points = initiative_points(initiative)
    return points[0][1] if points else (None, None)


def _quantity(q) -> str:
    prefix = "environ " if q.approximate else ""
    period = f" en {q.period}" if q.period else ""
    return f"{prefix}{q.count} {q.item}{period}"


COLUMNS: list[Column] = [
    Column(
        "id",
        "integer",
        "Identifiant",
        "Identifiant de l'initiative sur la plateforme.",
        "Initiative identifier on the platform.",
        lambda i: i.pk,
        required=True,
    ),
    Column(
        "url",
        "string",
        "Adresse",
        "Page publique de l'initiative.",
        "Public page of the initiative.",
        lambda i: initiative_url(i.pk),
        required=True,
    ),
    Column(
        "title",
        "string",
        "Titre",
        "Titre de l'initiative.",
        "Title of the initiative.",
        lambda i: i.title,
        required=True,
    ),
    Column(
        "description",
        "string",
        "Description",
        "Description publiée.",
        "Published description.",
        lambda i: i.description,
    ),
    Column(
        "campaign",
        "string",
        "Campagne",
        "Identifiant (slug) de la campagne ou crise.",
        "Campaign (crisis) identifier (slug).",
        lambda i: i.campaign.slug,
        required=True,
    ),
    Column(
        "campaign_name",
        "string",
        "Nom de la campagne",
        "Nom de la campagne.",
        "Campaign name.",
        lambda i: i.campaign.name,
    ),
    Column(
        "themes",
        "string",
        "Thèmes",
        "Noms des thèmes, séparés par « ; ».",
        'Theme names, separated by " ; ".',
        lambda i: _join(t.name for t in i.themes.all()),
    ),
    Column(
        "theme_slugs",
        "string",
        "Identifiants des thèmes",
        "Identifiants (slugs) des thèmes, séparés par « ; ».",
        'Theme identifiers (slugs), separated by " ; ".',
        lambda i: _join(t.slug for t in i.themes.all()),
    ),
    Column(
        "actor_name",
        "string",
        "Porteur",
        "Nom du porteur (entreprise, association, commune…).",
        "Name of the actor (company, association, municipality…).",
        lambda i: i.actor_name,
    ),
    Column(
        "actor_kind",
        "string",
        "Type de porteur",
        "Code du type de porteur : company, association, municipality, intercommunality, "
        "citizens, club, public_service, other.",
        "Actor kind code: company, association, municipality, intercommunality, citizens, "
        "club, public_service, other.",
        lambda i: i.actor_kind,
    ),
    Column(
        "actor_kind_label",
        "string",
        "Type de porteur (libellé)",
        "Libellé français du type de porteur.",
        "French label of the actor kind.",
        lambda i: i.get_actor_kind_display(),
    ),
    Column(
        "beneficiaries",
        "string",
        "Bénéficiaires",
        "Publics aidés (soignants, personnes âgées…).",
        "People helped (health workers, elderly people…).",
        lambda i: i.beneficiaries,
    ),
    Column(
        "owner_department",
        "string",
        "Département de rattachement",
        "Code du département dont la préfecture a validé l'initiative.",
        "Code of the département whose prefecture validated the initiative.",
        lambda i: i.owner_department_id,
        required=True,
    ),
    Column(
        "places",
        "string",
        "Lieux",
        "Noms des lieux (communes ou territoires), séparés par « ; ».",
        'Place names (communes or areas), separated by " ; ".',
        lambda i: _join(place_name(p) for p in i.places.all()),
    ),
    Column(
        "commune_codes",
        "string",
        "Codes INSEE des communes",
        "Codes INSEE des communes où l'initiative a lieu, séparés par « ; ».",
        'INSEE codes of the communes where the initiative happens, separated by " ; ".',
        lambda i: _codes(i, "commune"),
    ),
    Column(
        "epci_codes",
        "string",
        "SIREN des EPCI",
        "Intercommunalités entières concernées (SIREN), séparées par « ; ».",
        'Whole intercommunalities concerned (SIREN), separated by " ; ".',
        lambda i: _codes(i, "epci"),
    ),
    Column(
        "arrondissement_codes",
        "string",
        "Codes des arrondissements",
        "Arrondissements entiers concernés, séparés par « ; ».",
        'Whole arrondissements concerned, separated by " ; ".',
        lambda i: _codes(i, "arrondissement"),
    ),
    Column(
        "department_codes",
        "string",
        "Codes des départements",
        "Départements entiers concernés, séparés par « ; ».",
        'Whole départements concerned, separated by " ; ".',
        lambda i: _codes(i, "department"),
    ),
    Column(
        "latitude",
        "number",
        "Latitude",
        "Latitude WGS84 du premier lieu (point représentatif de la commune, ou de la commune "
        "la plus peuplée d'un territoire).",
        "WGS84 latitude of the first place (the commune's representative point, or the most "
        "populous commune of an area).",
        lambda i: _first_point(i)[0],
    ),
    Column(
        "longitude",
        "number",
        "Longitude",
        "Longitude WGS84 du premier lieu.",
        "WGS84 longitude of the first place.",
        lambda i: _first_point(i)[1],
    ),
    Column(
        "quantities",
        "string",
        "Quantités",
        "Quantités annoncées (« 1300 visières en trois semaines »), séparées par « ; ».",
        'Announced quantities ("1300 visières en trois semaines"), separated by " ; ".',
        lambda i: _join(_quantity(q) for q in i.quantities.all()),
    ),
    Column(
        "public_contacts",
        "string",
        "Contacts publics",
        "Contacts publiés par le porteur (site, e-mail, téléphone), séparés par « ; ».",
        'Contacts published by the actor (website, e-mail, phone), separated by " ; ".',
        lambda i: _join(c.value for c in i.contacts.all()),
    ),
    Column(
        "start_date",
        "date",
        "Date de début",
        "Date de début, si connue.",
        "Start date, if known.",
        lambda i: _date(i.start_date),
    ),
    Column(
        "end_date",
        "date",
        "Date de fin",
        "Date de fin, si connue.",
        "End date, if known.",
        lambda i: _date(i.end_date),
    ),
    Column(
        "status",
        "string",
        "Statut",
        "published (en cours) ou archived (terminée).",
        "published (ongoing) or archived (over).",
        lambda i: i.status,
        required=True,
    ),
    Column(
        "source",
        "string",
        "Origine",
        "form (formulaire public), staff (préfecture) ou import (bulletin importé).",
        "form (public form), staff (prefecture) or import (imported bulletin).",
        lambda i: i.source,
    ),
    Column(
        "published_at",
        "datetime",
        "Publiée le",
        "Date et heure de publication (UTC).",
        "Publication date and time (UTC).",
        lambda i: _iso(i.published_at),
        required=True,
    ),
    Column(
        "archived_at",
        "datetime",
        "Archivée le",
        "Date et heure d'archivage (UTC).",
        "Archiving date and time (UTC).",
        lambda i: _iso(i.archived_at),
    ),
    Column(
        "updated_at",
        "datetime",
        "Modifiée le",
        "Date et heure de dernière modification (UTC).",
        "Last modification date and time (UTC).",
        lambda i: _iso(i.updated_at),
        required=True,
    ),
]

COLUMN_NAMES = [c.name for c in COLUMNS]
PRIVATE_FIELDS = {"submitter_name", "submitter_email", "submitter_phone", "submitter_token"}
assert not PRIVATE_FIELDS & set(COLUMN_NAMES)


def export_row(initiative: Initiative) -> dict[str, Any]:
    return {column.name: column.get(initiative) for column in COLUMNS}


def table_schema() -> dict:
    fields = []
    for column in COLUMNS:
        field = {
            "name": column.name,
            "type": column.type,
            "title": column.title_fr,
            "description": f"{column.description_fr} — EN: {column.description_en}",
            "description_fr": column.description_fr,
            "description_en": column.description_en,
        }
        if column.type == "datetime":
            field["format"] = "%Y-%m-%dT%H:%M:%SZ"
        if column.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
