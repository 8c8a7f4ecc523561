"""The public initiatives in the data·inclusion schema (v1): one structure (the carrier as the
initiative names it) and one service (the initiative) each, validated by the schema's own
package, ``data-inclusion-schema`` (pydantic models; docs/specs/data-inclusion/).

data·inclusion gathers the "offre d'insertion" that Soliguide, DORA and les-emplois read: an
offer someone can still use. So only published initiatives that are not hidden for
staleness are exported; archived ones (over) are not. A record the schema refuses is left
out, logged and reported by initiative (``ExportFile.problems``, the admin and the command's
output); the others are exported.

Only what the platform already publishes goes out: the public contacts (never the
submitter's), the places' official codes, the public page.
"""

import json
import logging
from collections.abc import Iterator
from datetime import date
from functools import lru_cache

import pydantic
from data_inclusion.schema.v1 import ModeMobilisation, PersonneMobilisatrice, Service, Structure
from data_inclusion.schema.v1 import Thematique as T
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from solidaire.initiatives.models import ContactKind, Freshness, Status
from solidaire.territory.models import Commune

from .columns import initiative_url
from .exports import Layout
from .records import InitiativeRecord

logger = logging.getLogger(__name__)

# The schema's release this export is written for (docs/specs/data-inclusion/README.md);
# pyproject.toml pins the package at the same version.
SCHEMA_VERSION = "1.0.10"

# Theme slug -> data·inclusion thématiques. Reviewed one by one against the referential
# (docs/specs/data-inclusion/extra/thematiques.json): a theme is mapped only where the
# inclusion catalogue's user would find what the initiative offers. An empty tuple says
# "reviewed, nothing fits" (material for health workers is no offer to a person in need);
# a theme missing from the table gets no thématique at all, and a test lists the demo
# campaign's themes so that a new one is reviewed here.
THEME_THEMATIQUES: dict[str, tuple[T, ...]] = {
    # Covid-19 campaign (the seed bulletin, n°6)
    "approvisionnement-materiel": (),
    "dons-materiel": (),
    "production-materiel": (),
    "soutien-soignants": (),
    "attentions-soignants": (),
    "dons-soignants": (),
    # Confined people: keeping in touch is the "lien social" of the referential.
    "soutien-personnes-confinees": (T.REMOBILISATION__LIEN_SOCIAL,),
    # Shopping done for those who cannot go out: food first.
    "aide-aux-courses": (T.EQUIPEMENT_ET_ALIMENTATION__ALIMENTATION,),
    # Calls to isolated people; listening lines for distress count as mental health.
    "ecoute-et-appels": (T.REMOBILISATION__LIEN_SOCIAL, T.SANTE__SANTE_MENTALE),
    # Lent or given computers, and help to use them.
    "fracture-numerique": (
        T.NUMERIQUE__ACQUERIR_UN_EQUIPEMENT,
        T.NUMERIQUE__MAITRISER_LES_FONDAMENTAUX_DU_NUMERIQUE,
    ),
    # Homework help supports the parents' role in their children's education.
    "soutien-scolaire": (T.FAMILLE__SOUTIEN_A_LA_PARENTALITE_ET_A_LEDUCATION,),
}

NAME_MAX = 150  # the schema's bounds for ``nom``
FORMATS = {"di-structures": "structures", "di-services": "services"}


def source() -> str:
    """The producer's identifier in data·inclusion: the platform."""
    return _source(settings.DATA_INCLUSION_SOURCE, settings.SITE_TITLE)


@lru_cache(maxsize=4)
def _source(configured: str, title: str) -> str:
    # Called four times per record: slugify once per setting.
    return configured or slugify(title)


def thematiques(record: InitiativeRecord) -> list[str]:
    found = {t.value for slug, _ in record.themes for t in THEME_THEMATIQUES.get(slug, ())}
    return sorted(found)


@lru_cache(maxsize=512)
def _arrondissement_communes(code: str) -> tuple[str, ...]:
    return tuple(
        Commune.objects.filter(arrondissement_id=code)
        .order_by("insee_code")
        .values_list("insee_code", flat=True)
    )


def zone_eligibilite(record: InitiativeRecord) -> list[str] | None:
    """The places as the official codes the schema takes: commune (INSEE), EPCI (SIREN),
    département. The schema has no arrondissement: one is given as its communes."""
    codes: list[str] = []
    for place in record.places:
        if place.kind == "arrondissement":
            codes.extend(_arrondissement_communes(place.code))
        else:
            codes.append(place.code)
    return list(dict.fromkeys(codes)) or None


def _clip(text: str, limit: int = NAME_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _first(record: InitiativeRecord, kind: str) -> str | None:
    return next((value for k, value in record.contact_pairs if k == kind), None)


def _date_maj(record: InitiativeRecord) -> str:
    # The schema refuses a date after its own today: never ahead of the process's date.
    day = min(timezone.localdate(record.updated_at), date.today())
    return day.isoformat()


def _location(record: InitiativeRecord) -> dict:
    commune = next((p for p in record.places if p.kind == "commune"), None)
    if commune is None:
        return {}
    return {
        "commune": commune.name,
        "code_insee": commune.code,
        "latitude": commune.latitude,
        "longitude": commune.longitude,
    }


def _prune(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def structure_id(record: InitiativeRecord) -> str:
    return f"{source()}--porteur-{record.id}"


def structure_data(record: InitiativeRecord) -> dict:
    """The carrier as this initiative names it: the platform has no register of actors,
    so each initiative brings its own structure (data·inclusion merges duplicates)."""
    return _prune(
        {
            "source": source(),
            "id": structure_id(record),
            "nom": _clip(record.actor_name),
            "date_maj": _date_maj(record),
            "lien_source": initiative_url(record.id),
            **_location(record),
            "telephone": _first(record, ContactKind.PHONE),
            "courriel": _first(record, ContactKind.EMAIL),
            "site_web": _first(record, ContactKind.URL),
        }
    )


def service_data(record: InitiativeRecord) -> dict:
    phone = _first(record, ContactKind.PHONE)
    email = _first(record, ContactKind.EMAIL)
    link = _first(record, ContactKind.URL)
    modes = [
        mode
        for mode, present in (
            (ModeMobilisation.ENVOYER_UN_COURRIEL.value, email),
            (ModeMobilisation.TELEPHONER.value, phone),
            (ModeMobilisation.UTILISER_LIEN_MOBILISATION.value, link),
        )
        if present
    ]
    return _prune(
        {
            "source": source(),
            "structure_id": structure_id(record),
            "id": f"{source()}--{record.id}",
            "nom": _clip(record.title),
            "description": record.description.strip(),
            "lien_source": initiative_url(record.id),
            "date_maj": _date_maj(record),
            "thematiques": thematiques(record),
            "publics_precisions": record.beneficiaries,
            **_location(record),
            "telephone": phone,
            "courriel": email,
            "zone_eligibilite": zone_eligibilite(record),
            "lien_mobilisation": link,
            "modes_mobilisation": modes,
            "mobilisable_par": [PersonneMobilisatrice.USAGERS.value] if modes else None,
        }
    )


# pydantic's messages are English: the usual ones said in French for the staff (the
# schema's own checks already speak French).
FRENCH_ERRORS = {
    "missing": "champ obligatoire absent",
    "string_too_short": "au moins {min_length} caractère(s)",
    "string_too_long": "au plus {max_length} caractère(s)",
    "too_short": "au moins {min_length} élément(s)",
    "string_pattern_mismatch": "format invalide",
    "enum": "valeur hors du référentiel",
    "value_error": "{error}",
    "date_from_datetime_parsing": "date invalide",
    "date_parsing": "date invalide",
}


def _message(error: dict) -> str:
    kind = error["type"]
    if kind.startswith("url_"):
        return "adresse web invalide"
    template = FRENCH_ERRORS.get(kind)
    if template is None:
        return error["msg"]
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except KeyError:
        return error["msg"]


def _errors(model, data: dict) -> list[str]:
    try:
        model.model_validate(data)
    except pydantic.ValidationError as exc:
        return [
            f"{'.'.join(str(part) for part in error['loc']) or model.__name__} : {_message(error)}"
            for error in exc.errors()
        ]
    return []


def exported(record: InitiativeRecord) -> bool:
    return record.status == Status.PUBLISHED and record.freshness != Freshness.HIDDEN


def convert(record: InitiativeRecord) -> tuple[dict, dict] | None:
    """(structure, service) of ``record`` once validated, computed once per record; None
    when the initiative is not exported or the schema refuses it (then ``refusal`` says why)."""
    cached = record.__dict__.get("_data_inclusion", False)
    if cached is not False:
        return cached
    result = None
    if exported(record):
        structure, service = structure_data(record), service_data(record)
        errors = [f"structure.{e}" for e in _errors(Structure, structure)] + [
            f"service.{e}" for e in _errors(Service, service)
        ]
        if errors:
            record.__dict__["_data_inclusion_refused"] = {
                "initiative": record.id,
                "title": record.title,
                "errors": errors,
            }
            logger.warning(
                "data·inclusion : initiative %s refusée par le schéma : %s",
                record.id,
                " ; ".join(errors),
            )
        else:
            result = (structure, service)
    record.__dict__["_data_inclusion"] = result
    return result


def refusal(record: InitiativeRecord) -> dict | None:
    """Why the schema refused ``record`` (after ``convert``), or None."""
    return record.__dict__.get("_data_inclusion_refused")


def _dumps(value) -> str:
    # Keys and lists in a fixed order: the same data gives the same file, the same SHA-256.
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def structure_pieces(record: InitiativeRecord) -> Iterator[str]:
    pair = convert(record)
    if pair is not None:
        yield _dumps(pair[0])


def service_pieces(record: InitiativeRecord) -> Iterator[str]:
    pair = convert(record)
    if pair is not None:
        yield _dumps(pair[1])


def reset() -> None:
    """Forget the arrondissements' communes: each generation reads the territory afresh."""
    _arrondissement_communes.cache_clear()


def _json_array(pieces) -> Layout:
    return Layout(head=lambda: "[", pieces=pieces, first="\n", sep=",\n", tail="\n]\n")


def structures_layout() -> Layout:
    """A JSON array of data·inclusion structures (the format its API and files use)."""
    reset()
    return _json_array(structure_pieces)


def services_layout() -> Layout:
    return _json_array(service_pieces)
