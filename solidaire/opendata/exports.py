"""Streamed bulk exports: rows are produced chunk by chunk, so memory stays flat
whatever the number of initiatives."""

import json
from collections.abc import Iterator

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from solidaire.initiatives.selectors import InitiativeFilters
from solidaire.lib.untrusted import SafeWriter

from .columns import COLUMN_NAMES, export_row, export_values, initiative_url
from .records import initiative_records

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(
    filters: InitiativeFilters, *, delimiter: str = ",", bom: bool = False
) -> Iterator[str]:
    # RFC 4180: comma, double-quote escaping, CRLF line ends; formulas neutralised.
    writer = SafeWriter(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    yield ("\ufeff" if bom else "") + writer.writerow(COLUMN_NAMES)
    batch = []
    for record in initiative_records(filters=filters):
        batch.append(writer.writerow(export_values(record)))
        if len(batch) >= 100:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def spreadsheet_csv_lines(filters: InitiativeFilters) -> Iterator[str]:
    """The same rows for a spreadsheet in French: Excel reads UTF-8 only after a byte order
    mark, and splits on semicolons where the decimal separator is a comma."""
    return csv_lines(filters, delimiter=";", bom=True)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def json_lines(filters: InitiativeFilters) -> Iterator[str]:
    """A JSON array of flat objects, the same rows as the CSV."""
    yield "["
    first = True
    for record in initiative_records(filters=filters):
        yield ("\n" if first else ",\n") + _dumps(export_row(record))
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
    for record in initiative_records(filters=filters):
        themes = [name for _, name in record.themes]
        for place in record.points:
            lat, lon = place.latitude, place.longitude
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "initiative_id": record.id,
                    "title": record.title,
                    "url": initiative_url(record.id),
                    "actor_name": record.actor_name,
                    "actor_kind": record.actor_kind,
                    "campaign": record.campaign_slug,
                    "themes": themes,
                    "status": record.status,
                    "place_kind": place.kind,
                    "place_code": place.code,
                    "place_name": place.name,
                    "published_at": record.published_at,
                },
            }
            yield ("\n" if first else ",\n") + _dumps(feature)
            first = False
    yield "\n]}\n"
