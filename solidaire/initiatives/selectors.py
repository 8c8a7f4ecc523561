"""Reads on initiatives. One selector serves the public list, the API and the exports."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from solidaire.territory.models import Commune

from .models import (
    Contact,
    Initiative,
    Place,
    Status,
    Theme,
    Transition,
    VolunteerCall,
    listed_q,
    public_q,
)
from .place_counts import place_count_statuses, place_counts
from .search import search_filter


@dataclass(frozen=True)
class InitiativeFilters:
    """Validated public filters (codes as strings, empty means no filter)."""

    q: str = ""
    campaign: str = ""  # campaign slug
    theme: str = ""  # theme slug (a parent theme also matches its sub-themes)
    commune: str = ""  # INSEE code: initiatives placed in it (directly)
    epci: str = ""  # SIREN
    arrondissement: str = ""
    department: str = ""  # by place
    region: str = ""  # by place (the région pages; not a public list parameter)
    owner_department: str = ""
    actor_kind: str = ""
    status: str = ""  # "published" or "archived"; empty means both
    updated_since: datetime | None = None
    # The API and the exports keep initiatives hidden for staleness (with their state);
    # lists, the map, feeds and counts do not (``listed_q``).
    include_hidden: bool = False


# Up to this many initiatives placed in an area are read first and given as values: about
# where reading them by id costs what walking the newest-first order costs to find a page
# of them, at a million initiatives (a page of 30, an area of 0.5 %).
PLACED_IDS_MAX = 5000


def _placed(condition: Q, *, few: bool = True) -> Q:
    # An IN over the places matching ``condition`` starts from the place indexes (commune,
    # EPCI, arrondissement, département); a correlated EXISTS would visit every public
    # initiative first. A few thousand ids are read first and given as values: with a
    # subquery, PostgreSQL walked the newest-first index of the whole table looking for an
    # area's rare rows (0.6 s for Calais's 2,600 of a million); with the ids it reads them
    # by primary key and sorts them. A larger area keeps the subquery, whose rows that walk
    # finds soon; départements and régions (``few=False``) are large: not read first.
    ids = Place.objects.filter(condition).order_by().values_list("initiative_id", flat=True)
    if not few:
        return Q(pk__in=ids)
    first = list(ids[: PLACED_IDS_MAX + 1])
    if len(first) > PLACED_IDS_MAX:
        return Q(pk__in=ids)
    return Q(pk__in=ids_given(sorted(set(first))))


def ids_given(ids: list[int]):
    """Ids read first, for an ``__in`` lookup. On PostgreSQL one array rather than
    thousands of literals (each a parameter to build and quote): planned at once, and
    estimated small, so that the rows are read by their id rather than by walking an order."""
    if connection.vendor == "postgresql" and ids:
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return ids


def filter_given(qs: QuerySet, **lookups) -> QuerySet:
    """``qs`` filtered on the lookups that have a value: an empty one means no filter."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return qs.filter(**given) if given else qs


def placed_in_epci(code: str) -> Q:
    """Initiatives placed on the EPCI itself or on one of its communes."""
    return _placed(Q(epci_id=code) | Q(commune_id__in=_commune_codes(epci_id=code)))


def placed_in_arrondissement(code: str) -> Q:
    """Initiatives placed on the arrondissement itself or on one of its communes."""
    return _placed(
        Q(arrondissement_id=code) | Q(commune_id__in=_commune_codes(arrondissement_id=code))
    )


def _commune_codes(**area) -> list[str]:
    # The area's communes read first and given as values: two index scans of the places
    # (by EPCI, by commune), where a join to the communes read every place of the table.
    return list(Commune.objects.filter(**area).order_by().values_list("insee_code", flat=True))


def _epcis_with_a_commune_in(**area) -> list[str]:
    communes = Commune.objects.filter(epci__isnull=False, **area)
    return sorted(set(communes.values_list("epci_id", flat=True)))


def initiative_search(*, filters: InitiativeFilters) -> QuerySet[Initiative]:
    """Public initiatives matching ``filters``, newest first, stable order.

    ``commune`` matches initiatives placed on that commune. ``epci``, ``arrondissement`` and
    ``department`` match initiatives placed on the area itself or on any commune inside it
    (and, for a département, on its arrondissements and on EPCI with a commune inside it;
    ``region`` likewise for a région's départements).
    ``q`` is the French full-text search (see ``search.py``): every word must match.

    Subqueries rather than joins: no DISTINCT, and the count stays cheap.
    """
    base = Initiative.objects.filter(public_q() if filters.include_hidden else listed_q())
    qs = filter_given(
        base,
        status=filters.status,
        campaign__slug=filters.campaign,
        actor_kind=filters.actor_kind,
        owner_department_id=filters.owner_department,
        updated_at__gte=filters.updated_since,
    )
    # The few ids of a theme or of a département's EPCI are read first and given as values:
    # the planner then knows how selective each filter is and starts from the right index
    # (with a subquery it guessed half the table and walked every public initiative).
    if filters.theme:
        themes = Theme.objects.filter(Q(slug=filters.theme) | Q(parent__slug=filters.theme))
        through = Initiative.themes.through.objects.filter(
            theme_id__in=list(themes.values_list("pk", flat=True))
        )
        qs = qs.filter(pk__in=through.values("initiative_id"))
    if filters.commune:
        qs = qs.filter(_placed(Q(commune_id=filters.commune)))
    if filters.epci:
        qs = qs.filter(placed_in_epci(filters.epci))
    if filters.arrondissement:
        qs = qs.filter(placed_in_arrondissement(filters.arrondissement))
    if filters.department:
        code = filters.department
        epcis = _epcis_with_a_commune_in(department_id=code)
        # The place's own département column (indexed), or an EPCI with a commune there:
        # two index scans of the places, never a join per place.
        qs = qs.filter(_placed(Q(department_code=code) | Q(epci_id__in=epcis), few=False))
    if filters.region:
        code = filters.region
        epcis = _epcis_with_a_commune_in(department__region_id=code)
        qs = qs.filter(_placed(Q(region_code=code) | Q(epci_id__in=epcis), few=False))
    if filters.q:
        qs = search_filter(qs, filters.q)
    return qs.order_by("-published_at", "-id")


PLACE_FILTERS = ("commune", "epci", "arrondissement", "department", "region")


def initiative_count_known(*, filters: InitiativeFilters) -> int | None:
    """How many initiatives ``initiative_search(filters=…)`` finds, read from the per-place
    counts when the filters are one place at most (and a status): None otherwise."""
    places = {name: getattr(filters, name) for name in PLACE_FILTERS if getattr(filters, name)}
    rest = replace(filters, status="", **dict.fromkeys(PLACE_FILTERS, ""))
    if rest != InitiativeFilters() or len(places) > 1:
        return None
    if not places:
        statuses = place_count_statuses()
        if filters.status:
            return statuses.get(filters.status, 0)
        return sum(statuses.values())
    ((kind, code),) = places.items()
    return place_counts(kind, codes=[code], status=filters.status).get(code, 0)


def with_list_data(qs: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """What a list row shows (campaign, themes, places with their areas) in 3 extra queries,
    and its first public contact (first_contact_kind, first_contact_value) in the same row."""
    places = Place.objects.select_related("commune", "epci", "arrondissement", "department")
    first = Contact.objects.filter(initiative=OuterRef("pk")).order_by("position", "id")[:1]
    return (
        qs.select_related("campaign")
        .prefetch_related("themes", Prefetch("places", queryset=places))
        .annotate(
            first_contact_kind=Subquery(first.values("kind")),
            first_contact_value=Subquery(first.values("value")),
        )
    )


def with_card_data(qs: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """``with_list_data`` for the cards of the HTML lists: the themes and places as plain
    lists (``card_themes``, ``card_places``). Django's prefetch into the related managers
    filters a queryset per row (two per card, most of a card's cost); the lists are set
    as they are read. Only the cards read them: ``initiative.themes.all()`` would query."""
    places = Place.objects.select_related("commune", "epci", "arrondissement", "department")
    first = Contact.objects.filter(initiative=OuterRef("pk")).order_by("position", "id")[:1]
    return (
        qs.select_related("campaign")
        .prefetch_related(
            Prefetch("themes", to_attr="card_themes"),
            Prefetch("places", queryset=places, to_attr="card_places"),
        )
        .annotate(
            first_contact_kind=Subquery(first.values("kind")),
            first_contact_value=Subquery(first.values("value")),
        )
    )


def initiative_get_public(*, pk: int) -> Initiative | None:
    """A published or archived initiative with everything its page shows, else None
    (hidden ones too: their page says they have probably ended)."""
    return (
        with_list_data(Initiative.objects.public())
        .select_related("owner_department")
        .prefetch_related("quantities", "contacts", "themes__parent")
        .filter(pk=pk)
        .first()
    )


def initiatives_in_commune(commune: Commune) -> QuerySet[Initiative]:
    return initiative_search(filters=InitiativeFilters(commune=commune.insee_code))


def initiatives_covering_commune(commune: Commune) -> QuerySet[Initiative]:
    """Initiatives placed on an area containing the commune (EPCI, arrondissement, département)
    and not on the commune itself."""
    area = Q(department_id=commune.department_id)
    if commune.epci_id:
        area |= Q(epci_id=commune.epci_id)
    if commune.arrondissement_id:
        area |= Q(arrondissement_id=commune.arrondissement_id)
    return (
        Initiative.objects.listed()
        .filter(_placed(area))
        .exclude(_placed(Q(commune_id=commune.insee_code)))
        .order_by("-published_at", "-id")
    )


def initiative_public_counts() -> dict[str, int]:
    """How many initiatives are running (published) and ended (archived): two rows of the
    per-place counts, not a count of the table."""
    statuses = place_count_statuses()
    return {
        "published": statuses.get(Status.PUBLISHED, 0),
        "archived": statuses.get(Status.ARCHIVED, 0),
    }


def submission_exists(key: str) -> bool:
    """Whether the public form with this idempotency key was already accepted."""
    return Initiative.objects.filter(submission_key=key).exists()


# A private link outlives its initiative's end by PRIVATE_LINK_TTL_DAYS, then stops working.
CLOSED_STATUSES = (Status.ARCHIVED, Status.REJECTED, Status.WITHDRAWN)


def private_link_expired(initiative: Initiative, *, now: datetime) -> bool:
    """Whether the submitter's private link has expired: the initiative was archived,
    rejected or withdrawn more than ``PRIVATE_LINK_TTL_DAYS`` ago."""
    if initiative.status not in CLOSED_STATUSES:
        return False
    closed_at = (
        Transition.objects.filter(initiative=initiative, to_status=initiative.status)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    ) or initiative.updated_at
    return now - closed_at > timedelta(days=settings.PRIVATE_LINK_TTL_DAYS)


def without_public_contact() -> Q:
    """Initiatives that give no way to act: no public contact of any kind."""
    return ~Exists(Contact.objects.filter(initiative=OuterRef("pk")))


# --- Calls for volunteers ---------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerCallFilters:
    """Validated filters of /benevolat/ (codes as strings, empty means no filter)."""

    department: str = ""
    commune: str = ""  # INSEE code
    theme: str = ""  # theme slug (a parent theme also matches its sub-themes)


def volunteer_calls_open(*, today: date | None = None) -> QuerySet[VolunteerCall]:
    """THE predicate of the calls shown publicly: the initiative is listed and still runs
    (published: an archived one has ended), and the call has not ended."""
    today = today or timezone.localdate()
    return (
        VolunteerCall.objects.filter(listed_q("initiative__"), initiative__status=Status.PUBLISHED)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related(
            "initiative__campaign",
            "initiative__owner_department",
            "commune__department__region",
        )
    )


def _call_in_commune(code: str) -> Q:
    """The call's own commune, or (none chosen) one of its initiative's communes."""
    placed = Place.objects.filter(commune_id=code).values("initiative_id")
    return Q(commune_id=code) | Q(commune__isnull=True, initiative_id__in=placed)


def _call_in_department(code: str) -> Q:
    placed = Place.objects.filter(department_code=code).values("initiative_id")
    return Q(commune__department_id=code) | Q(commune__isnull=True, initiative_id__in=placed)


def volunteer_call_search(*, filters: VolunteerCallFilters) -> QuerySet[VolunteerCall]:
    qs = volunteer_calls_open()
    if filters.commune:
        qs = qs.filter(_call_in_commune(filters.commune))
    if filters.department:
        qs = qs.filter(_call_in_department(filters.department))
    if filters.theme:
        themed = Theme.objects.filter(Q(slug=filters.theme) | Q(parent__slug=filters.theme))
        qs = qs.filter(
            Exists(
                Initiative.themes.through.objects.filter(
                    initiative_id=OuterRef("initiative_id"), theme__in=themed
                )
            )
        )
    return qs.prefetch_related(
        Prefetch(
            "initiative__places",
            queryset=Place.objects.select_related(
                "commune", "epci", "arrondissement", "department"
            ),
        )
    ).order_by("-created_at", "-id")


def volunteer_calls_for_commune(commune: Commune) -> QuerySet[VolunteerCall]:
    return volunteer_call_search(filters=VolunteerCallFilters(commune=commune.insee_code))


def volunteer_calls_of(initiative: Initiative) -> list[VolunteerCall]:
    """The calls its public page shows (none when the initiative is not listed)."""
    if not (initiative.is_listed and initiative.status == Status.PUBLISHED):
        return []
    return list(
        volunteer_calls_open()
        .filter(initiative=initiative)
        .select_related("commune")
        .order_by("position", "id")
    )


def volunteer_call_counts(ids) -> dict[int, int]:
    """How many open calls each of the initiatives ``ids`` has (those with none left out)."""
    rows = (
        VolunteerCall.objects.filter(initiative_id__in=ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .values("initiative_id")
        .annotate(n=Count("pk"))
        .values_list("initiative_id", "n")
    )
    return dict(rows)
