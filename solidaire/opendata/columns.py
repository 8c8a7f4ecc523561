"""The columns of the bulk exports, defined once: the CSV and JSON rows and the
Frictionless Table Schema of ``datapackage.json`` are all built from this list.

Submitter data (name, e-mail, phone, private link) is deliberately absent: a column
exists only if it is listed here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from solidaire.initiatives.models import ActorKind
from solidaire.lib.typography import quantity_phrase

from .records import InitiativeRecord

ACTOR_KIND_LABELS = dict(ActorKind.choices)

SEPARATOR = " ; "


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type
    title_fr: str
    description_fr: str
    description_en: str
    get: Callable[[InitiativeRecord], Any]
    required: bool = False


def _iso(moment) -> str | None:
    if moment is None:
        return None
    m = moment.astimezone(UTC)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


def _date(day) -> str | None:
    return day.isoformat() if day else None


_URL_PLACEHOLDER = 987654321


@lru_cache(maxsize=8)
def _url_template(root: str, urlconf: str) -> str:
    try:
        path = reverse("initiatives:detail", args=[_URL_PLACEHOLDER])
    except NoReverseMatch:
        path = f"/initiatives/{_URL_PLACEHOLDER}/"
    return root + path.replace(str(_URL_PLACEHOLDER), "{}")


def initiative_url(pk: int) -> str:
    # One reverse() per process rather than per row: exports write 100,000 of them.
    return _url_template(settings.SITE_ROOT, settings.ROOT_URLCONF).format(pk)


def _join(values) -> str:
    return SEPARATOR.join(v for v in values if v)


def _codes(record, kind) -> str:
    return _join(p.code for p in record.places if p.kind == kind)


def _quantity(count, approximate, item, period) -> str:
    return quantity_phrase(count, item, approximate=approximate, period=period)


COLUMNS: list[Column] = [
    Column(
        "id",
        "integer",
        "Identifiant",
        "Identifiant de l'initiative sur la plateforme.",
        "Initiative identifier on the platform.",
        lambda r: r.id,
        required=True,
    ),
    Column(
        "url",
        "string",
        "Adresse",
        "Page publique de l'initiative.",
        "Public page of the initiative.",
        lambda r: initiative_url(r.id),
        required=True,
    ),
    Column(
        "title",
        "string",
        "Titre",
        "Titre de l'initiative.",
        "Title of the initiative.",
        lambda r: r.title,
        required=True,
    ),
    Column(
        "description",
        "string",
        "Description",
        "Description publiée.",
        "Published description.",
        lambda r: r.description,
    ),
    Column(
        "campaign",
        "string",
        "Campagne",
        "Identifiant (slug) de la campagne ou crise.",
        "Campaign (crisis) identifier (slug).",
        lambda r: r.campaign_slug,
        required=True,
    ),
    Column(
        "campaign_name",
        "string",
        "Nom de la campagne",
        "Nom de la campagne.",
        "Campaign name.",
        lambda r: r.campaign_name,
    ),
    Column(
        "themes",
        "string",
        "Thèmes",
        "Noms des thèmes, séparés par « ; ».",
        'Theme names, separated by " ; ".',
        lambda r: _join(name for _, name in r.themes),
    ),
    Column(
        "theme_slugs",
        "string",
        "Identifiants des thèmes",
        "Identifiants (slugs) des thèmes, séparés par « ; ».",
        'Theme identifiers (slugs), separated by " ; ".',
        lambda r: _join(slug for slug, _ in r.themes),
    ),
    Column(
        "actor_name",
        "string",
        "Porteur",
        "Nom du porteur (entreprise, association, commune…).",
        "Name of the actor (company, association, municipality…).",
        lambda r: r.actor_name,
    ),
    Column(
        "actor_kind",
        "string",
        "Type de porteur",
        "Code du type de porteur : company, association, municipality, intercommunality, "
        "citizens, club, public_service, other.",
        "Actor kind code: company, association, municipality, intercommunality, citizens, "
        "club, public_service, other.",
        lambda r: r.actor_kind,
    ),
    Column(
        "actor_kind_label",
        "string",
        "Type de porteur (libellé)",
        "Libellé français du type de porteur.",
        "French label of the actor kind.",
        lambda r: ACTOR_KIND_LABELS.get(r.actor_kind, r.actor_kind),
    ),
    Column(
        "beneficiaries",
        "string",
        "Bénéficiaires",
        "Publics aidés (soignants, personnes âgées…).",
        "People helped (health workers, elderly people…).",
        lambda r: r.beneficiaries,
    ),
    Column(
        "owner_department",
        "string",
        "Département de rattachement",
        "Code du département dont la préfecture a validé l'initiative.",
        "Code of the département whose prefecture validated the initiative.",
        lambda r: r.owner_department,
        required=True,
    ),
    Column(
        "places",
        "string",
        "Lieux",
        "Noms des lieux (communes ou territoires), séparés par « ; ».",
        'Place names (communes or areas), separated by " ; ".',
        lambda r: _join(p.name for p in r.places),
    ),
    Column(
        "commune_codes",
        "string",
        "Codes INSEE des communes",
        "Codes INSEE des communes où l'initiative a lieu, séparés par « ; ».",
        'INSEE codes of the communes where the initiative happens, separated by " ; ".',
        lambda r: _codes(r, "commune"),
    ),
    Column(
        "epci_codes",
        "string",
        "SIREN des EPCI",
        "Intercommunalités entières concernées (SIREN), séparées par « ; ».",
        'Whole intercommunalities concerned (SIREN), separated by " ; ".',
        lambda r: _codes(r, "epci"),
    ),
    Column(
        "arrondissement_codes",
        "string",
        "Codes des arrondissements",
        "Arrondissements entiers concernés, séparés par « ; ».",
        'Whole arrondissements concerned, separated by " ; ".',
        lambda r: _codes(r, "arrondissement"),
    ),
    Column(
        "department_codes",
        "string",
        "Codes des départements",
        "Départements entiers concernés, séparés par « ; ».",
        'Whole départements concerned, separated by " ; ".',
        lambda r: _codes(r, "department"),
    ),
    Column(
        "latitude",
        "number",
        "Latitude",
        "Latitude WGS84 du premier lieu (point représentatif de la commune, ou de la commune "
        "la plus peuplée d'un territoire).",
        "WGS84 latitude of the first place (the commune's representative point, or the most "
        "populous commune of an area).",
        lambda r: r.points[0].latitude if r.points else None,
    ),
    Column(
        "longitude",
        "number",
        "Longitude",
        "Longitude WGS84 du premier lieu.",
        "WGS84 longitude of the first place.",
        lambda r: r.points[0].longitude if r.points else None,
    ),
    Column(
        "quantities",
        "string",
        "Quantités",
        "Quantités annoncées (« 1300 visières en trois semaines »), séparées par « ; ».",
        'Announced quantities ("1300 visières en trois semaines"), separated by " ; ".',
        lambda r: _join(_quantity(*q) for q in r.quantities),
    ),
    Column(
        "public_contacts",
        "string",
        "Contacts publics",
        "Contacts publiés par le porteur (site, e-mail, téléphone, « Auprès de la mairie de … » "
        "suivi du lien vers l'Annuaire de l'administration), séparés par « ; ».",
        "Contacts published by the actor (website, e-mail, phone, « Auprès de la mairie de … » "
        'followed by its link in the national Annuaire), separated by " ; ".',
        lambda r: _join(r.contacts),
    ),
    Column(
        "volunteer_calls",
        "integer",
        "Appels à bénévoles",
        "Nombre d'appels à bénévoles en cours de l'initiative (0 : aucun), listés sur "
        "/benevolat/ et dans le flux API Engagement.",
        "Number of the initiative's open calls for volunteers (0: none), listed at /benevolat/ "
        "and in the API Engagement feed.",
        lambda r: r.volunteer_calls,
    ),
    Column(
        "start_date",
        "date",
        "Date de début",
        "Date de début, si connue.",
        "Start date, if known.",
        lambda r: _date(r.start_date),
    ),
    Column(
        "end_date",
        "date",
        "Date de fin",
        "Date de fin, si connue.",
        "End date, if known.",
        lambda r: _date(r.end_date),
    ),
    Column(
        "status",
        "string",
        "Statut",
        "published (en cours) ou archived (terminée).",
        "published (ongoing) or archived (over).",
        lambda r: r.status,
        required=True,
    ),
    Column(
        "source",
        "string",
        "Origine",
        "form (formulaire public), staff (préfecture) ou import (bulletin importé).",
        "form (public form), staff (prefecture) or import (imported bulletin).",
        lambda r: r.source,
    ),
    Column(
        "published_at",
        "datetime",
        "Publiée le",
        "Date et heure de publication (UTC).",
        "Publication date and time (UTC).",
        lambda r: _iso(r.published_at),
        required=True,
    ),
    Column(
        "archived_at",
        "datetime",
        "Archivée le",
        "Date et heure d'archivage (UTC).",
        "Archiving date and time (UTC).",
        lambda r: _iso(r.archived_at),
    ),
    Column(
        "updated_at",
        "datetime",
        "Modifiée le",
        "Date et heure de dernière modification (UTC).",
        "Last modification date and time (UTC).",
        lambda r: _iso(r.updated_at),
        required=True,
    ),
    Column(
        "verified_at",
        "datetime",
        "Vérifiée le",
        "Dernière vérification (UTC) : publication, confirmation du porteur ou de la préfecture.",
        "Last check (UTC): publication, confirmed by its carrier or the prefecture.",
        lambda r: _iso(r.verified_at),
    ),
    Column(
        "freshness",
        "string",
        "Fraîcheur",
        "current (vérifiée), to_confirm (à confirmer) ou hidden (probablement terminée, "
        "retirée des listes et de la carte).",
        "current (checked), to_confirm (to be confirmed) or hidden (probably over, out of "
        "the lists and the map).",
        lambda r: r.freshness,
    ),
]

COLUMN_NAMES = [c.name for c in COLUMNS]
PRIVATE_FIELDS = {"submitter_name", "submitter_email", "submitter_phone", "submitter_token"}
assert not PRIVATE_FIELDS & set(COLUMN_NAMES)


# Slugs, codes of the Code officiel géographique, SIREN: one value, or several joined by
# SEPARATOR. A département is 2 digits, 2A/2B or 3 digits overseas; an arrondissement adds
# one digit to it (two overseas).
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_COMMUNE = r"(?:[0-9]{2}|2[AB])[0-9]{3}"
_DEPARTMENT = r"(?:[0-9]{2}|2[AB]|9[78][0-9])"
_ARRONDISSEMENT = r"(?:(?:[0-9]{2}|2[AB])[0-9]|9[78][0-9]{2})"


def _listed(pattern: str) -> str:
    return f"^{pattern}(?: ; {pattern})*$"


# What the Table Schema of docs/schema/ adds to each column (tableschema.py): an example
# value (as written in the CSV) and the constraints that every row of the export meets.
EXAMPLES: dict[str, str] = {
    "id": "1042",
    "url": "https://solidaires.pas-de-calais.gouv.fr/initiatives/1042/",
    "title": "Des visières pour les soignants du centre hospitalier d'Arras",
    "description": "Le fablab de l'université produit des visières de protection.",
    "campaign": "covid-19",
    "campaign_name": "Covid-19",
    "themes": "Production de matériel ; Dons aux soignants",
    "theme_slugs": "production-materiel ; dons-soignants",
    "actor_name": "Fablab de l'université d'Artois",
    "actor_kind": "association",
    "actor_kind_label": "Association",
    "beneficiaries": "soignants",
    "owner_department": "62",
    "places": "Arras ; CU d'Arras",
    "commune_codes": "62041 ; 62193",
    "epci_codes": "200033579",
    "arrondissement_codes": "621",
    "department_codes": "62",
    "latitude": "50.28917",
    "longitude": "2.78056",
    "quantities": "1300 visières en trois semaines",
    "public_contacts": "https://fablab.example.org ; contact@fablab.example.org",
    "start_date": "2020-03-23",
    "end_date": "2020-05-11",
    "status": "published",
    "source": "form",
    "published_at": "2020-04-02T08:30:00Z",
    "archived_at": "2020-06-01T10:00:00Z",
    "updated_at": "2020-04-20T16:45:12Z",
    "verified_at": "2020-04-20T16:45:12Z",
    "freshness": "current",
    "volunteer_calls": "1",
}

CONSTRAINTS: dict[str, dict[str, Any]] = {
    "id": {"unique": True, "minimum": 1},
    "url": {"pattern": r"^https?://\S+$"},
    "title": {"maxLength": 200},
    "description": {"maxLength": 10000},
    "campaign": {"pattern": f"^{_SLUG}$"},
    "theme_slugs": {"pattern": _listed(_SLUG)},
    "actor_name": {"maxLength": 200},
    "actor_kind": {"enum": [value for value, _ in ActorKind.choices]},
    "actor_kind_label": {"enum": [label for _, label in ActorKind.choices]},
    "beneficiaries": {"maxLength": 300},
    "owner_department": {"pattern": f"^{_DEPARTMENT}$"},
    "commune_codes": {"pattern": _listed(_COMMUNE)},
    "epci_codes": {"pattern": _listed("[0-9]{9}")},
    "arrondissement_codes": {"pattern": _listed(_ARRONDISSEMENT)},
    "department_codes": {"pattern": _listed(_DEPARTMENT)},
    "latitude": {"minimum": -90, "maximum": 90},
    "longitude": {"minimum": -180, "maximum": 180},
    "status": {"enum": ["published", "archived"]},
    "source": {"enum": ["form", "staff", "import"]},
    "freshness": {"enum": ["current", "to_confirm", "hidden"]},
    "volunteer_calls": {"minimum": 0},
}
assert set(EXAMPLES) == set(COLUMN_NAMES) and set(CONSTRAINTS) <= set(COLUMN_NAMES)


def export_values(record: InitiativeRecord) -> list[Any]:
    """The row of ``record`` in COLUMNS' order, computed in one pass.

    Same result as calling every column's ``get`` (a test checks it), written out because
    exports call it 100,000 times.
    """
    r = record
    commune_codes, epci_codes, arrondissement_codes, department_codes = [], [], [], []
    by_kind = {
        "commune": commune_codes,
        "epci": epci_codes,
        "arrondissement": arrondissement_codes,
        "department": department_codes,
    }
    for place in r.places:
        by_kind[place.kind].append(place.code)
    points = r.points
    first = points[0] if points else None
    return [
        r.id,
        initiative_url(r.id),
        r.title,
        r.description,
        r.campaign_slug,
        r.campaign_name,
        SEPARATOR.join(name for _, name in r.themes),
        SEPARATOR.join(slug for slug, _ in r.themes),
        r.actor_name,
        r.actor_kind,
        ACTOR_KIND_LABELS.get(r.actor_kind, r.actor_kind),
        r.beneficiaries,
        r.owner_department,
        SEPARATOR.join(p.name for p in r.places if p.name),
        SEPARATOR.join(commune_codes),
        SEPARATOR.join(epci_codes),
        SEPARATOR.join(arrondissement_codes),
        SEPARATOR.join(department_codes),
        first.latitude if first else None,
        first.longitude if first else None,
        SEPARATOR.join(_quantity(*q) for q in r.quantities) if r.quantities else "",
        SEPARATOR.join(c for c in r.contacts if c),
        r.volunteer_calls,
        _date(r.start_date),
        _date(r.end_date),
        r.status,
        r.source,
        _iso(r.published_at),
        _iso(r.archived_at),
        _iso(r.updated_at),
        _iso(r.verified_at),
        r.freshness,
    ]


def export_row(record: InitiativeRecord) -> dict[str, Any]:
    return dict(zip(COLUMN_NAMES, export_values(record), strict=True))


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
