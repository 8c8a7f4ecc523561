"""How a public contact reads and where it leads, for every page, bulletin, export and API.

A contact is stored as (kind, value): a URL, an e-mail, an E.164 phone, free text, or the
INSEE code of the commune whose mairie to ask. ``contact_views`` turns rows into what is
shown (label) and linked (url), with one query for the communes' names.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from solidaire.lib.typography import join_words, of_name
from solidaire.territory.models import Commune

from .models import ContactKind
from .validators import format_phone

# The mairie's entry in the national Annuaire de l'administration (service-public.fr),
# found from the commune's INSEE code.
ANNUAIRE_MAIRIE_URL = "https://lannuaire.service-public.fr/navigation/mairie"


def mairie_url(insee_code: str) -> str:
    """
    >>> mairie_url("62193")
    'https://lannuaire.service-public.fr/navigation/mairie?where=62193'
    """
    return f"{ANNUAIRE_MAIRIE_URL}?{urlencode({'where': insee_code})}"


def mairie_label(name: str) -> str:
    """
    >>> mairie_label("Calais"), mairie_label("Le Portel")
    ('Auprès de la mairie de Calais', 'Auprès de la mairie du Portel')
    """
    return f"Auprès de la mairie {of_name(name)}"


def mairies_phrase(names: list[str]) -> str:
    """The bulletin's words for one or several mairies.

    >>> mairies_phrase(["Calais"])
    'auprès de la mairie de Calais'
    >>> mairies_phrase(["Boulogne-sur-Mer", "Le Portel", "Outreau"])
    "auprès des mairies de Boulogne-sur-Mer, du Portel et d'Outreau"
    """
    if len(names) == 1:
        return "auprès de la mairie " + of_name(names[0])
    return "auprès des mairies " + join_words([of_name(name) for name in names])


@dataclass(frozen=True)
class ContactView:
    kind: str
    value: str  # as stored
    label: str  # as read: "03 21 61 36 10", "Auprès de la mairie de Calais"…
    url: str  # "tel:…", "mailto:…", the page, the Annuaire's entry; "" for free text
    commune: str = ""  # the mairie's commune name

    @property
    def plain(self) -> str:
        """One line of text for exports: the label, and the link when it is not the label."""
        if self.kind == ContactKind.MAIRIE:
            return f"{self.label} ({self.url})"
        return self.value


# Commune names are reference data: read once per process, at most one query per call.
_NAMES: dict[str, str] = {}


def commune_names(codes: Iterable[str]) -> dict[str, str]:
    codes = set(codes)
    missing = codes - _NAMES.keys()
    if missing:
        _NAMES.update(Commune.objects.filter(pk__in=missing).values_list("insee_code", "name"))
    return {code: _NAMES[code] for code in codes if code in _NAMES}


def contact_view(kind: str, value: str, *, names: dict[str, str] | None = None) -> ContactView:
    """``names`` maps INSEE codes to commune names (looked up when not given)."""
    if kind == ContactKind.PHONE:
        return ContactView(kind, value, format_phone(value), f"tel:{value}")
    if kind == ContactKind.EMAIL:
        return ContactView(kind, value, value, f"mailto:{value}")
    if kind == ContactKind.URL:
        return ContactView(kind, value, value, value)
    if kind == ContactKind.MAIRIE:
        names = commune_names([value]) if names is None else names
        name = names.get(value, value)
        return ContactView(kind, value, mairie_label(name), mairie_url(value), name)
    return ContactView(kind, value, value, "")


def contact_views(contacts: Iterable) -> list[ContactView]:
    """Views of Contact rows or (kind, value) pairs, in their order."""
    pairs = [(c.kind, c.value) if hasattr(c, "kind") else tuple(c) for c in contacts]
    names = commune_names(value for kind, value in pairs if kind == ContactKind.MAIRIE)
    return [contact_view(kind, value, names=names) for kind, value in pairs]


def contacts_phrase(views: list[ContactView]) -> str:
    """The bulletin's "Contact :" text: the mairies in one phrase after the others."""
    parts = [v.label for v in views if v.kind != ContactKind.MAIRIE]
    mairies = [v.commune for v in views if v.kind == ContactKind.MAIRIE]
    if mairies:
        parts.append(mairies_phrase(mairies))
    return " / ".join(parts)
