"""Streamed bulk exports: rows are produced chunk by chunk, so memory stays flat
whatever the number of initiatives."""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from solidaire.initiatives.selectors import InitiativeFilters
from solidaire.lib.untrusted import SafeWriter

from .columns import COLUMN_NAMES, export_values, initiative_url
from .records import InitiativeRecord, initiative_records

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer."""

    def write(self, value):
        return value


def _values(record: InitiativeRecord) -> list:
    # Computed once per record: the full files write it in three formats in one pass.
    values = record.__dict__.get("_export_values")
    if values is None:
        values = record.__dict__["_export_values"] = export_values(record)
    return values


@dataclass(frozen=True)
class Layout:
    """How one format writes records: a head, pieces per record joined by ``sep`` (the
    first one preceded by ``first``), a tail. The streamed answers and the full files
    generated ahead of time (full_exports.py) share it."""

    head: Callable[[], str]
    pieces: Callable[[InitiativeRecord], Iterator[str]]
    first: str = ""
    sep: str = ""
    tail: str = ""


def csv_layout(*, delimiter: str = ",", bom: bool = False) -> Layout:
    # RFC 4180: comma, double-quote escaping, CRLF line ends; formulas neutralised.
    writer = SafeWriter(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    return Layout(
        head=lambda: ("\ufeff" if bom else "") + writer.writerow(COLUMN_NAMES),
        pieces=lambda record: (writer.writerow(_values(record)),),
    )


def spreadsheet_layout() -> Layout:
    """The same rows for a spreadsheet in French: Excel reads UTF-8 only after a byte order
    mark, and splits on semicolons where the decimal separator is a comma."""
    return csv_layout(delimiter=";", bom=True)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def json_layout() -> Layout:
    """A JSON array of flat objects, the same rows as the CSV."""
    return Layout(
        head=lambda: "[",
        pieces=lambda record: (_dumps(dict(zip(COLUMN_NAMES, _values(record), strict=True))),),
        first="\n",
        sep=",\n",
        tail="\n]\n",
    )


def _features(record: InitiativeRecord) -> Iterator[str]:
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
        yield _dumps(feature)


def geojson_layout() -> Layout:
    """A FeatureCollection: a point per initiative and commune, or per area for
    initiatives placed on areas only (RFC 7946, WGS84, longitude first)."""

    def head():
        header = {
            "type": "FeatureCollection",
            "name": "initiatives",
            "licence": LICENCE["title"],
            "attribution": f"{settings.SITE_TITLE} — {settings.PREFECTURE_NAME}",
        }
        return _dumps(header)[:-1] + ', "features": ['

    return Layout(head=head, pieces=_features, first="\n", sep=",\n", tail="\n]}\n")


def layout_lines(layout: Layout, records: Iterable[InitiativeRecord]) -> Iterator[str]:
    """The text of ``records`` in ``layout``, a hundred records per chunk."""
    yield layout.head()
    batch: list[str] = []
    joiner = layout.first
    for count, record in enumerate(records, 1):
        for piece in layout.pieces(record):
            batch.append(joiner)
            batch.append(piece)
            joiner = layout.sep
        if count % 100 == 0:
            yield "".join(batch)
            batch = []
    batch.append(layout.tail)
    yield "".join(batch)


def csv_lines(
    filters: InitiativeFilters, *, delimiter: str = ",", bom: bool = False
) -> Iterator[str]:
    layout = csv_layout(delimiter=delimiter, bom=bom)
    return layout_lines(layout, initiative_records(filters=filters))


def spreadsheet_csv_lines(filters: InitiativeFilters) -> Iterator[str]:
    return layout_lines(spreadsheet_layout(), initiative_records(filters=filters))


def json_lines(filters: InitiativeFilters) -> Iterator[str]:
    return layout_lines(json_layout(), initiative_records(filters=filters))


def geojson_lines(filters: InitiativeFilters) -> Iterator[str]:
    return layout_lines(geojson_layout(), initiative_records(filters=filters))
