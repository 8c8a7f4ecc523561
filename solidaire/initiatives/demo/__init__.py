"""Bulletin n°6 of "Covid-19 : le Pas-de-Calais solidaire" (Arras, 24 April 2020), described once.

``EXPECTED`` is what the bulletin says: its title, number, date and place, and the actors,
places, contacts and quantities of its 11 initiatives. It is also the golden file of the
import of its text (``imports/samples/``), so it is never edited for the demo. ``DEMO`` holds
what only the demo adds (see its "about"). ``load_demo``, ``load_demo_bulletins`` and the
import tests read both here, in the lowest app that needs them.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "pas-de-calais-solidaire-n06-2020-04-24.expected.json"
DEMO = HERE / "bulletin-n06.json"


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def contacts_of(spec: dict) -> list[tuple[str, str]]:
    """An expected initiative's public contacts as (kind, value), in the order they are kept."""
    return (
        [("url", value) for value in spec["urls"]]
        + [("email", value) for value in spec["emails"]]
        + [("phone", value) for value in spec["phones"]]
        + ([("text", spec["contact_text"])] if spec["contact_text"] else [])
    )


def demo_contacts(spec: dict, page: dict) -> list[tuple[str, str]]:
    """The bulletin's contacts, and where it gives none, « auprès des mairies concernées »:
    the mairie of each of the initiative's communes (``"public_contact": "mairies"``)."""
    added = [("mairie", code) for code in spec["communes"]]
    return contacts_of(spec) + (added if page.get("public_contact") == "mairies" else [])


def demo_initiatives() -> list[dict]:
    """The 11 initiatives as ``load_demo`` creates them: the bulletin's facts in the demo's words."""
    expected, demo = read(EXPECTED), read(DEMO)
    return [
        {
            "title": page["title"],
            "description": page["description"],
            "themes": page["themes"],
            "beneficiaries": page["beneficiaries"],
            "actor": spec["actor"],
            "actor_kind": spec["actor_kind"],
            "places": [("commune", code) for code in spec["communes"]]
            + [(area["kind"], area["code"]) for area in spec["areas"]],
            "contacts": demo_contacts(spec, page),
            "quantities": [{**q, "period": q["period"] or ""} for q in spec["quantities"]],
        }
        for spec, page in zip(expected["initiatives"], demo["initiatives"], strict=True)
    ]


# ``load_demo --beyond-62``: a few initiatives in the Nord and in Corse-du-Sud, so that the
# multi-département paths (a regional or national map, the département pages) have data.
# Invented for the demo, in the same campaign; not from any bulletin.
BEYOND_62 = [
    {
        "title": "Collecte de masques en tissu à Lille",
        "description": "Des couturières bénévoles de Lille cousent des masques en tissu et les "
        "déposent au centre communal d'action sociale, qui les distribue aux habitants.",
        "themes": ["approvisionnement-materiel", "production-materiel"],
        "beneficiaries": "habitants de Lille",
        "actor": "Atelier solidaire de Wazemmes",
        "actor_kind": "association",
        "owner_department": "59",
        "places": [("commune", "59350")],
        "contacts": [("url", "https://atelier-wazemmes.exemple.org")],
    },
    {
        "title": "Courses livrées aux aînés de Dunkerque et Roubaix",
        "description": "Des étudiants font les courses des personnes âgées isolées et les "
        "livrent devant leur porte, deux fois par semaine.",
        "themes": ["soutien-personnes-confinees", "aide-aux-courses"],
        "beneficiaries": "personnes âgées isolées",
        "actor": "Réseau étudiant du Nord",
        "actor_kind": "association",
        "owner_department": "59",
        "places": [("commune", "59183"), ("commune", "59512")],
        "contacts": [("email", "contact@etudiants-nord.exemple.org")],
    },
    {
        "title": "Repas offerts aux soignants de l'hôpital d'Ajaccio",
        "description": "Des restaurateurs d'Ajaccio préparent chaque midi des repas pour les "
        "équipes de l'hôpital de la Miséricorde.",
        "themes": ["soutien-soignants", "dons-soignants"],
        "beneficiaries": "soignants de l'hôpital d'Ajaccio",
        "actor": "Restaurateurs du golfe d'Ajaccio",
        "actor_kind": "company",
        "owner_department": "2A",
        "places": [("commune", "2A004")],
        "contacts": [("phone", "04 65 71 00 01")],
    },
    {
        "title": "Écoute téléphonique en Corse-du-Sud",
        "description": "Une ligne d'écoute tenue par des bénévoles rompt l'isolement des "
        "personnes seules dans tout le département.",
        "themes": ["soutien-personnes-confinees", "ecoute-et-appels"],
        "beneficiaries": "personnes isolées",
        "actor": "Écoute solidaire 2A",
        "actor_kind": "association",
        "owner_department": "2A",
        "places": [("department", "2A"), ("commune", "2A247")],
        "contacts": [("text", "Appeler la mairie de Porto-Vecchio")],
    },
]
