"""Streamed bulk exports: rows are produced chunk by chunk, so memory stays flat
whatever the number of initiatives."""

import csv
import json
from collections.abc import Iterator

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from solidaire.initiatives.selectors import InitiativeFilters

from .columns import COLUMN_NAMES, export_row, initiative_url
from .selectors import initiative_points, place_code, place_name, public_initiatives

CHUNK_SIZE = 500
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


def _initiatives(filters: InitiativeFilters):
    return public_initiatives(filters=filters).iterator(chunk_size=CHUNK_SIZE)


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(filters: InitiativeFilters) -> Iterator[str]:
    # RFC 4180: comma, double-quote escaping, CRLF line ends.
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(COLUMN_NAMES)
    batch = []
    for initiative in _initiatives(filters):
        row = export_row(initiative)
        batch.append(writer.writerow(["" if row[n] is None else row[n] for n in COLUMN_NAMES]))
        if len(batch) >= 100:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def json_lines(filters: InitiativeFilters) -> Iterator[str]:
    """A JSON array of flat objects, the same rows as the CSV."""
    yield "["
    first = True
    for initiative in _initiatives(filters):
        yield ("\n" if first else ",\n") + _dumps(export_row(initiative))
        first = False
    yield "\n]\n"


def geojson_lines(filters: InitiativeFilters) -> Iterator[str]:
    """A FeatureCollection: a point per initiative and commune, or per area for
    initiatives placed on areas only (RFC 7946, WGS84, longitude first)."""
    header = {
        "type": "FeatureCollection",
        "name": "initiatives",
        "licence": LICENCE["title"],
        "attribution": f"{settings.SITE_TITLE} — {settings.PREFECTURE_NAME}",
    }
    yield _dumps(header)[:-1] + ', "features": ['
    first = True
    for initiative in _initiatives(filters):
        themes = [t.name for t in initiative.themes.all()]
        for place, (lat, lon) in initiative_points(initiative):
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "initiative_id": initiative.pk,
                    "title": initiative.title,
                    "url": initiative_url(initiative.pk),
                    "actor_name": initiative.actor_name,
                    "actor_kind": initiative.actor_kind,
                    "campaign": initiative.campaign.slug,
                    "themes": themes,
                    "status": initiative.status,
                    "place_kind": place.kind,
                    "place_code": place_code(place),
                    "place_name": place_name(place),
                    "published_at": initiative.published_at,
                },
            }
            yield ("\n" if first else ",\n") + _dumps(feature)
            first = False
    yield "\n]}\n"
