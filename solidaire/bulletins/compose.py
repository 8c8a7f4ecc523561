"""What a draft says about an initiative before the editor rewrites it."""

import re

from solidaire.initiatives.contacts import contact_views, contacts_phrase
from solidaire.initiatives.models import ContactKind, Initiative, PlaceKind
from solidaire.lib.typography import join_words, of_name

from .models import ContactLabel

PARAGRAPH_MAX = 1200
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s")


def place_names(initiative: Initiative) -> list[str]:
    names = []
    for place in initiative.places.all():
        if place.kind == PlaceKind.COMMUNE:
            names.append(place.commune.name)
        elif place.kind == PlaceKind.EPCI:
            names.append(place.epci.name)
        elif place.kind == PlaceKind.ARRONDISSEMENT:
            names.append(f"secteur {of_name(place.arrondissement.name)}")
        else:
            names.append(place.department.name)
    return names


def _shorten(text: str, limit: int = PARAGRAPH_MAX) -> str:
    """Cut long descriptions at a sentence end so the draft stays readable."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    ends = [m.start() for m in _SENTENCE_END_RE.finditer(cut)]
    return cut[: ends[-1]] if ends else cut.rsplit(" ", 1)[0] + "…"


def _ensure_period(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def generate_paragraph(initiative: Initiative) -> str:
    """Actor, places, what, quantities, beneficiaries: one paragraph to edit."""
    places = place_names(initiative)
    where = f" ({join_words(places)})" if places else ""
    parts = [f"{initiative.actor_name}{where} : {_ensure_period(initiative.title)}"]
    description = _shorten(initiative.description)
    if description and description.rstrip(".") != initiative.title.rstrip("."):
        parts.append(_ensure_period(description))
    quantities = [q.phrase(grouped=True) for q in initiative.quantities.all()]
    if quantities:
        parts.append(f"Réalisations : {join_words(quantities)}.")
    if initiative.beneficiaries:
        parts.append(f"Bénéficiaires : {_ensure_period(initiative.beneficiaries)}")
    return " ".join(parts)


def generate_contact(initiative: Initiative) -> tuple[str, str]:
    """("Plus d'information", url) when the initiative has a web page, else ("Contact", …)."""
    contacts = list(initiative.contacts.all())
    if not contacts:
        return ContactLabel.CONTACT, ""
    label = ContactLabel.MORE if contacts[0].kind == ContactKind.URL else ContactLabel.CONTACT
    return label, contacts_phrase(contact_views(contacts))
