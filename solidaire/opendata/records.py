"""Export records: the public fields of initiatives read as plain tuples, chunk by chunk.

Bulk exports do not build model instances: for 100,000 rows, Django's per-instance
prefetch machinery costs more than the data. Each chunk of initiatives is followed by one
query per relation (places, themes, quantities, contacts) over the chunk's ids, so memory
depends on the chunk size, never on the row count.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from solidaire.initiatives.contacts import contact_views
from solidaire.initiatives.models import Contact, Initiative, Place, Quantity
from solidaire.initiatives.selectors import (
    InitiativeFilters,
    initiative_search,
    volunteer_call_counts,
)
from solidaire.initiatives.selectors_map import AREA_FIELDS
from solidaire.territory.reference import area_point

CHUNK_SIZE = 1000


@dataclass(frozen=True)
class PlaceRecord:
    kind: str
    code: str
    name: str
    latitude: float | None
    longitude: float | None


@dataclass
class InitiativeRecord:
    id: int
    title: str
    description: str
    campaign_slug: str
    campaign_name: str
    actor_name: str
    actor_kind: str
    beneficiaries: str
    owner_department: str
    start_date: date | None
    end_date: date | None
    status: str
    source: str
    published_at: datetime | None
    archived_at: datetime | None
    updated_at: datetime
    verified_at: datetime | None
    freshness: str
    themes: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    places: list[PlaceRecord] = field(default_factory=list)
    quantities: list[tuple[int, bool, str, str]] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # ContactView.plain
    # The same contacts as stored (kind, value): the data·inclusion export files them by kind.
    contact_pairs: list[tuple[str, str]] = field(default_factory=list)
    volunteer_calls: int = 0  # open calls for volunteers (shown on /benevolat/)

    @property
    def points(self) -> list[PlaceRecord]:
        """Commune places; the areas' representative points only when there is no commune."""
        communes = [p for p in self.places if p.kind == "commune"]
        chosen = communes or self.places
        return [p for p in chosen if p.latitude is not None]


# The dates and state of an initiative, last in an export row as in an API object.
TIMELINE_FIELDS = (
    "start_date",
    "end_date",
    "status",
    "source",
    "published_at",
    "archived_at",
    "updated_at",
    "verified_at",
    "freshness",
)

FIELDS = (
    "id",
    "title",
    "description",
    "campaign__slug",
    "campaign__name",
    "actor_name",
    "actor_kind",
    "beneficiaries",
    "owner_department_id",
    *TIMELINE_FIELDS,
)

PLACE_FIELDS = (
    "initiative_id",
    "kind",
    "commune_id",
    "commune__name",
    "commune__latitude",
    "commune__longitude",
    *AREA_FIELDS,
)


def _place(row) -> PlaceRecord:
    _, kind, commune, commune_name, lat, lon, epci, epci_name, arr, arr_name, dep, dep_name = row
    if commune:
        return PlaceRecord(kind, commune, commune_name, lat, lon)
    code, name = {"epci": (epci, epci_name), "arrondissement": (arr, arr_name)}.get(
        kind, (dep, dep_name)
    )
    point = area_point(kind, code) or (None, None)
    return PlaceRecord(kind, code, name or "", point[0], point[1])


def _fill(records: dict[int, InitiativeRecord]) -> None:
    ids = list(records)
    places = Place.objects.filter(initiative_id__in=ids).order_by("initiative_id", "position", "id")
    for row in places.values_list(*PLACE_FIELDS):
        records[row[0]].places.append(_place(row))
    through = Initiative.themes.through.objects.filter(initiative_id__in=ids)
    themes = through.order_by("theme__position", "theme__name").values_list(
        "initiative_id", "theme__slug", "theme__name"
    )
    for initiative_id, slug, name in themes:
        records[initiative_id].themes.append((slug, name))
    quantities = Quantity.objects.filter(initiative_id__in=ids).order_by("position", "id")
    for initiative_id, *quantity in quantities.values_list(
        "initiative_id", "count", "approximate", "item", "period"
    ):
        records[initiative_id].quantities.append(tuple(quantity))
    contacts = Contact.objects.filter(initiative_id__in=ids).order_by("position", "id")
    rows = list(contacts.values_list("initiative_id", "kind", "value"))
    # One query for the chunk's mairies' commune names.
    views = contact_views((kind, value) for _, kind, value in rows)
    for (initiative_id, kind, value), view in zip(rows, views, strict=True):
        records[initiative_id].contacts.append(view.plain)
        records[initiative_id].contact_pairs.append((kind, value))
    for initiative_id, count in volunteer_call_counts(ids).items():
        records[initiative_id].volunteer_calls = count


def initiative_records(*, filters: InitiativeFilters) -> Iterator[InitiativeRecord]:
    """Every initiative matching ``filters``, in the public list's order, chunk by chunk."""
    # Hidden for staleness or not: the exports keep them, with their state.
    rows = initiative_search(filters=replace(filters, include_hidden=True)).values_list(*FIELDS)
    chunk: dict[int, InitiativeRecord] = {}
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chunk[row[0]] = InitiativeRecord(*row)
        if len(chunk) >= CHUNK_SIZE:
            _fill(chunk)
            yield from chunk.values()
            chunk = {}
    if chunk:
        _fill(chunk)
        yield from chunk.values()
