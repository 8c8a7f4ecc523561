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
