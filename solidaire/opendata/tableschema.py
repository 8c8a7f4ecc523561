"""The Table Schema « Initiatives solidaires » (docs/schema/), generated from columns.py.

It describes the CSV export in the form schema.data.gouv.fr expects of a proposed schema:
metadata (title, description, contributors, licence, semantic version), every field with
its type, format, constraints and an example, the primary key, and a valid example file.
``manage.py write_table_schema`` writes schema.json, README.md and exemple-valide.csv; a
test fails when the committed files differ from what it would write.
"""

import csv
import io
import json
from pathlib import Path

from django.conf import settings

from .columns import COLUMNS, CONSTRAINTS, EXAMPLES, table_schema

# Semantic version of the schema: a new optional column is a minor version, a removed,
# renamed or retyped column a major one; wording only, a patch. Say why in CHANGELOG.md.
SCHEMA_VERSION = "1.0.0"
SCHEMA_DIR = Path(settings.BASE_DIR) / "docs" / "schema"
SCHEMA_NAME = "initiatives-solidaires"
# schema.data.gouv.fr reads a proposed schema from a public Git repository, tagged per
# version. The repository is to be created when the schema is proposed: this address is
# the one asked for, to be confirmed then.
SCHEMA_REPOSITORY = "https://github.com/territoire-solidaire/schema-initiatives-solidaires"

TYPE_WORDS = {
    "integer": "nombre entier",
    "number": "nombre décimal",
    "string": "chaîne de caractères",
    "date": "date (AAAA-MM-JJ)",
    "datetime": "date et heure UTC (AAAA-MM-JJTHH:MM:SSZ)",
}


def initiatives_table_schema() -> dict:
    base = table_schema()
    fields = []
    for column, field in zip(COLUMNS, base["fields"], strict=True):
        described = {
            "name": field["name"],
            "title": field["title"],
            "description": column.description_fr,
            "example": EXAMPLES[column.name],
            "type": field["type"],
        }
        if "format" in field:
            described["format"] = field["format"]
        elif column.name == "url":
            described["format"] = "uri"
        constraints = {"required": column.required, **CONSTRAINTS.get(column.name, {})}
        described["constraints"] = constraints
        fields.append(described)
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": SCHEMA_NAME,
        "title": "Initiatives solidaires",
        "description": (
            "Initiatives de solidarité locales recensées et validées par une préfecture (ou "
            "une collectivité) pendant une crise ou pour une cause : qui agit (porteur), "
            "quoi (titre, description, thèmes, quantités), où (codes officiels des communes, "
            "EPCI, arrondissements et départements), pour qui (bénéficiaires), comment "
            "joindre le porteur (contacts publics seulement) et dans quel état "
            "(publiée ou archivée, fraîcheur). Une ligne par initiative. Aucune donnée "
            "personnelle des déposants."
        ),
        "countryCode": "FR",
        "homepage": SCHEMA_REPOSITORY,
        "path": f"{SCHEMA_REPOSITORY}/raw/v{SCHEMA_VERSION}/schema.json",
        "resources": [
            {
                "title": "Fichier valide (CSV)",
                "name": "exemple-valide",
                "path": f"{SCHEMA_REPOSITORY}/raw/v{SCHEMA_VERSION}/exemple-valide.csv",
            }
        ],
        "sources": [
            {
                "title": "Export CSV de la plateforme Territoire solidaire (/donnees/)",
                "path": SCHEMA_REPOSITORY,
            }
        ],
        "created": "2026-12-01",
        "lastModified": "2026-12-01",
        "version": SCHEMA_VERSION,
        "contributors": [
            {
                "title": "Équipe Territoire solidaire",
                "organisation": "Territoire solidaire",
                "role": "author",
            },
            {
                "title": "Préfecture du Pas-de-Calais",
                "organisation": "Préfecture du Pas-de-Calais",
                "role": "contributor",
            },
        ],
        "licenses": [
            {
                "title": "Licence Ouverte / Open Licence version 2.0",
                "name": "etalab-2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        ],
        "fields": fields,
        "primaryKey": base["primaryKey"],
        "missingValues": base["missingValues"],
    }


def schema_json() -> str:
    return json.dumps(initiatives_table_schema(), ensure_ascii=False, indent=2) + "\n"


def example_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    writer.writerow([EXAMPLES[c.name] for c in COLUMNS])
    return out.getvalue()


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _constraint_words(constraints: dict) -> str:
    words = []
    if constraints.get("required"):
        words.append("obligatoire")
    if constraints.get("unique"):
        words.append("unique")
    if "enum" in constraints:
        words.append("valeurs : " + ", ".join(f"`{v}`" for v in constraints["enum"]))
    if "pattern" in constraints:
        words.append(f"motif `{constraints['pattern']}`")
    if "maxLength" in constraints:
        words.append(f"{constraints['maxLength']} caractères au plus")
    if "minimum" in constraints:
        words.append(f"≥ {constraints['minimum']}")
    if "maximum" in constraints:
        words.append(f"≤ {constraints['maximum']}")
    return " ; ".join(words) or "—"


def readme() -> str:
    schema = initiatives_table_schema()
    lines = [
        f"# {schema['title']}",
        "",
        "<!-- Généré par `manage.py write_table_schema` depuis solidaire/opendata/columns.py :"
        " ne pas modifier à la main. -->",
        "",
        f"Version **{schema['version']}** · licence {schema['licenses'][0]['title']} · "
        "schéma au format [Table Schema](https://specs.frictionlessdata.io/table-schema/), "
        "destiné à être proposé sur [schema.data.gouv.fr](https://schema.data.gouv.fr/).",
        "",
        "## Contexte",
        "",
        schema["description"],
        "",
        "Lors d'une crise (comme la Covid-19 au printemps 2020), une préfecture publie les "
        "initiatives de solidarité de son territoire : entreprises qui produisent du matériel, "
        "associations qui font les courses des personnes isolées, communes qui organisent des "
        "appels… Ce schéma permet à chaque préfecture ou collectivité de publier ces "
        "initiatives dans un même format, pour qu'elles soient agrégées et réutilisées.",
        "",
        "## Format du fichier",
        "",
        "- CSV UTF-8 (RFC 4180) : séparateur virgule, guillemets doubles, une ligne d'en-tête "
        "avec les noms de colonnes ci-dessous, dans cet ordre.",
        "- Une ligne par initiative ; clé primaire : `id`.",
        "- Valeur absente : cellule vide.",
        "- Listes (thèmes, lieux, codes, contacts) : valeurs séparées par « ; » "
        "(espace, point-virgule, espace).",
        "- Codes territoriaux : Code officiel géographique de l'INSEE (communes, "
        "arrondissements, départements) et SIREN (EPCI).",
        "- Données personnelles : aucune. Seuls les contacts que le porteur a choisi de "
        "publier figurent dans `public_contacts`.",
        "",
        "Un exemple valide est fourni : [`exemple-valide.csv`](exemple-valide.csv).",
        "",
        "## Champs",
        "",
        "| Nom | Titre | Type | Description | Exemple | Contraintes |",
        "|---|---|---|---|---|---|",
    ]
    for field in schema["fields"]:
        kind = TYPE_WORDS[field["type"]]
        if field.get("format") == "uri":
            kind += ", adresse web"
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{field['name']}`",
                    _cell(field["title"]),
                    kind,
                    _cell(field["description"]),
                    f"`{_cell(field['example'])}`",
                    _cell(_constraint_words(field["constraints"])),
                ]
            )
            + " |"
        )
    lines += [
        "",
        "## Contributeurs",
        "",
        *(
            f"- {c['title']} ({'auteur' if c['role'] == 'author' else 'contributeur'})"
            for c in schema["contributors"]
        ),
        "",
        "## Versions",
        "",
        "Le schéma suit le [versionnage sémantique](https://semver.org/lang/fr/) : une colonne "
        "facultative ajoutée donne une version mineure ; une colonne retirée, renommée ou dont "
        "le type change, une version majeure. Voir [CHANGELOG.md](CHANGELOG.md).",
        "",
        "## Valider un fichier",
        "",
        "```sh",
        "pip install frictionless",
        "frictionless validate --schema schema.json initiatives.csv",
        "```",
        "",
    ]
    return "\n".join(lines)


CHANGELOG = f"""# Changelog

## {SCHEMA_VERSION} (2026-12-01)

Première version : les colonnes de l'export CSV de la plateforme Territoire solidaire.
"""


def generated_files() -> dict[str, str]:
    """File name in docs/schema/ -> its generated text."""
    return {
        "schema.json": schema_json(),
        "README.md": readme(),
        "exemple-valide.csv": example_csv(),
        "CHANGELOG.md": CHANGELOG,
    }
