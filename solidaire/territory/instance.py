"""The instance's territory: the départements it serves (settings.INSTANCE_DEPARTMENTS).

One département (a prefecture, the default: the 62), several (a region, neighbours lending a
hand in a crisis) or all of France ("*"). Read from the shipped reference files, not the
database, so that a wrong setting stops the start-up before any request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .reference import read_rows

ALL_OF_FRANCE = ("*", "ALL", "FRANCE")

# French "de" + article before a département's name (du Nord, de la Somme, de l'Ain…).
_PLURAL = {
    "Alpes-de-Haute-Provence",
    "Hautes-Alpes",
    "Alpes-Maritimes",
    "Ardennes",
    "Bouches-du-Rhône",
    "Côtes-d'Armor",
    "Landes",
    "Pyrénées-Atlantiques",
    "Hautes-Pyrénées",
    "Pyrénées-Orientales",
    "Deux-Sèvres",
    "Vosges",
    "Yvelines",
    "Hauts-de-Seine",
}
_FEMININE = {
    "Charente",
    "Charente-Maritime",
    "Corrèze",
    "Côte-d'Or",
    "Creuse",
    "Dordogne",
    "Drôme",
    "Corse-du-Sud",
    "Haute-Corse",
    "Haute-Garonne",
    "Gironde",
    "Loire",
    "Haute-Loire",
    "Loire-Atlantique",
    "Lozère",
    "Manche",
    "Marne",
    "Haute-Marne",
    "Mayenne",
    "Meurthe-et-Moselle",
    "Meuse",
    "Moselle",
    "Nièvre",
    "Haute-Saône",
    "Saône-et-Loire",
    "Sarthe",
    "Savoie",
    "Haute-Savoie",
    "Seine-Maritime",
    "Seine-et-Marne",
    "Seine-Saint-Denis",
    "Somme",
    "Vendée",
    "Vienne",
    "Haute-Vienne",
    "Guadeloupe",
    "Martinique",
    "Guyane",
}
_NO_ARTICLE = {"Paris", "Mayotte", "La Réunion"}


def of_department(name: str) -> str:
    """ "de" and the article a French reader expects before a département's name.

    >>> [of_department(n) for n in ("Nord", "Somme", "Ain", "Ardennes", "Paris", "Hérault")]
    ['du Nord', 'de la Somme', "de l'Ain", 'des Ardennes', 'de Paris', "de l'Hérault"]
    """
    if name in _PLURAL:
        return f"des {name}"
    if name in _NO_ARTICLE:
        return f"de {name}"
    if name[0] in "AEIOUYÉ" or name == "Hérault":
        return f"de l'{name}"
    if name in _FEMININE:
        return f"de la {name}"
    return f"du {name}"


@dataclass(frozen=True)
class Instance:
    """The départements an instance serves, and how its pages name them."""

    departments: tuple[str, ...]
    kind: str  # "department", "region", "departments" or "national"
    label: str  # "Pas-de-Calais", "Hauts-de-France", "Nord et Pas-de-Calais", "France"
    of_label: str  # "du Pas-de-Calais", "de la région Hauts-de-France", "de France"
    region: str = ""  # the region's code when kind is "region"

    @property
    def single(self) -> str:
        """The département's code of a one-département instance, else ""."""
        return self.departments[0] if self.kind == "department" else ""


@lru_cache(maxsize=1)
def _reference() -> tuple[dict[str, dict], dict[str, str]]:
    departments = {row["code"]: row for row in read_rows("departments.csv")}
    regions = {row["code"]: row["name"] for row in read_rows("regions.csv")}
    return departments, regions


def parse_instance(value: str) -> Instance:
    """The Instance described by a setting's value ("62", "59,62", "*"); ImproperlyConfigured
    names the unknown codes."""
    departments, regions = _reference()
    codes = [code.strip().upper() for code in value.replace(";", ",").split(",") if code.strip()]
    if not codes:
        codes = ["62"]
    if any(code in ALL_OF_FRANCE for code in codes):
        return Instance(tuple(departments), "national", "France", "de France")
    unknown = [code for code in codes if code not in departments]
    if unknown:
        raise ImproperlyConfigured(
            f"INSTANCE_DEPARTMENTS : département(s) inconnu(s) : {', '.join(unknown)}. "
            "Indiquez des codes de département séparés par des virgules (ex. 62 ou 59,62), "
            "ou * pour toute la France."
        )
    chosen = tuple(sorted(set(codes)))
    if len(chosen) == len(departments):
        return Instance(chosen, "national", "France", "de France")
    if len(chosen) == 1:
        name = departments[chosen[0]]["name"]
        return Instance(chosen, "department", name, of_department(name))
    region_codes = {departments[code]["region_code"] for code in chosen}
    if len(region_codes) == 1:
        region = region_codes.pop()
        whole = tuple(sorted(c for c, row in departments.items() if row["region_code"] == region))
        if whole == chosen:
            name = regions[region]
            return Instance(chosen, "region", name, f"de la région {name}", region=region)
    names = [departments[code]["name"] for code in chosen]
    label = ", ".join(names[:-1]) + " et " + names[-1]
    return Instance(chosen, "departments", label, "des départements " + label)


def instance() -> Instance:
    """The running instance's territory (from settings.INSTANCE_DEPARTMENTS)."""
    return _parsed(settings.INSTANCE_DEPARTMENTS)


@lru_cache(maxsize=8)
def _parsed(value: str) -> Instance:
    return parse_instance(value)


def default_prefecture_name(value: str) -> str:
    """The bloc-marque's authority when PREFECTURE_NAME is not set."""
    territory = parse_instance(value)
    if territory.kind == "department":
        return f"Préfet {territory.of_label}"
    if territory.kind == "region":
        return f"Préfet de la région {territory.label}"
    return "Ministère de l'Intérieur"
