"""The Frictionless data package describing the exports (datapackage.json)."""

from django.conf import settings
from django.urls import reverse

from solidaire.territory.attribution import DATA_ATTRIBUTION

from .columns import table_schema
from .exports import LICENCE


def datapackage(*, last_modified=None) -> dict:
    root = settings.SITE_ROOT
    schema = table_schema()
    common = {
        "profile": "tabular-data-resource",
        "encoding": "utf-8",
        "schema": schema,
        "licenses": [LICENCE],
    }
    return {
        "profile": "data-package",
        "name": "initiatives-solidaires",
        "title": f"{settings.SITE_TITLE} — initiatives de solidarité publiées",
        "description": (
            "Initiatives de solidarité publiées ou archivées par la préfecture "
            f"({settings.PREFECTURE_NAME}). Aucune donnée personnelle des déposants. "
            "EN: Solidarity initiatives published or archived by the prefecture; "
            "no personal data about submitters."
        ),
        "homepage": f"{root}{reverse('opendata:index')}",
        "licenses": [LICENCE],
        "sources": [{"title": DATA_ATTRIBUTION}],
        "last_modified": last_modified.isoformat() if last_modified else None,
        "resources": [
            {
                **common,
                "name": "initiatives-csv",
                "path": f"{root}{reverse('opendata:export', args=['csv'])}",
                "format": "csv",
                "mediatype": "text/csv",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
            },
            {
                # The same table for spreadsheets in French; its UTF-8 starts with a byte
                # order mark, which UTF-8 readers (Frictionless among them) skip.
                **common,
                "name": "initiatives-csv-tableur",
                "path": f"{root}{reverse('opendata:export-spreadsheet')}",
                "format": "csv",
                "mediatype": "text/csv",
                "dialect": {"delimiter": ";", "quoteChar": '"', "header": True},
            },
            {
                **common,
                "name": "initiatives-json",
                "path": f"{root}{reverse('opendata:export', args=['json'])}",
                "format": "json",
                "mediatype": "application/json",
            },
            {
                "name": "initiatives-geojson",
                "path": f"{root}{reverse('opendata:export', args=['geojson'])}",
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
                "description": (
                    "Un point par initiative et par commune (ou par territoire pour les "
                    "initiatives sans commune), propriété initiative_id. "
                    "EN: one point per initiative and commune (or per area for initiatives "
                    "without a commune), property initiative_id."
                ),
                "licenses": [LICENCE],
            },
        ],
    }
