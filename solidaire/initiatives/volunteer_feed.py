"""The calls for volunteers as API Engagement reads them: its XML mission feed and JSON
records in the shape of its OpenAPI "createMission" body.

The field list is docs/specs/api-engagement/ (xml-feed.md: what the importer reads, which
elements are required; openapi.yaml: the JSON shape). One record per call is built once
(``mission_record``) and written in both forms, so the two feeds cannot disagree.

Calls whose mission staff recorded on JeVeuxAider are left out: JeVeuxAider publishes it
to API Engagement itself, and a second copy would show the mission twice.
"""

from collections.abc import Iterable
from datetime import date, datetime
from html import escape as html_escape
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from .models import ContactKind, Place, PlaceKind, VolunteerCall
from .selectors import volunteer_calls_open

MAX_ADDRESSES = 50
# In the JSON records (the OpenAPI body has it) but not read from the XML feed.
NOT_IN_XML = {"type"}
DESCRIPTION_MAX = 20_000


def feed_calls() -> QuerySet[VolunteerCall]:
    return (
        volunteer_calls_open()
        .filter(jeveuxaider_url="")
        .prefetch_related(
            Prefetch(
                "initiative__places",
                queryset=Place.objects.select_related(
                    "commune__department__region",
                    "arrondissement__department__region",
                    "department__region",
                ),
            ),
            "initiative__themes",
            "initiative__contacts",
        )
        .order_by("pk")
    )


def client_id(call: VolunteerCall) -> str:
    """Stable for the call's life: API Engagement updates a mission by this key."""
    return f"appel-{call.pk}"


def _absolute(path: str) -> str:
    return f"{settings.SITE_ROOT}{path}"


def _iso(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    # A date alone is read as UTC midnight by the importer: say the day in Paris.
    midnight = datetime(value.year, value.month, value.day, tzinfo=timezone.get_current_timezone())
    return midnight.isoformat(timespec="seconds")


def _commune_address(commune, street: str = "") -> dict:
    department = commune.department
    address = {
        "street": street or None,
        "postalCode": (commune.postal_code_list or [None])[0],
        "city": commune.name,
        "departmentCode": department.code,
        "departmentName": department.name,
        "region": department.region.name,
        "country": "FR",
    }
    return {key: value for key, value in address.items() if value}


def _department_address(department) -> dict:
    return {
        "departmentCode": department.code,
        "departmentName": department.name,
        "region": department.region.name,
        "country": "FR",
    }


def call_locations(call: VolunteerCall) -> list[tuple[dict, tuple[float, float] | None]]:
    """Each address of the call, with its point (a commune's representative point)."""
    if call.commune_id:
        commune = call.commune
        return [(_commune_address(commune, call.address), (commune.latitude, commune.longitude))]
    found: list[tuple[dict, tuple[float, float] | None]] = []
    for place in call.initiative.places.all():
        if place.kind == PlaceKind.COMMUNE:
            point = (place.commune.latitude, place.commune.longitude)
            found.append((_commune_address(place.commune, call.address), point))
        elif place.kind == PlaceKind.ARRONDISSEMENT:
            found.append((_department_address(place.arrondissement.department), None))
        elif place.kind == PlaceKind.DEPARTMENT:
            found.append((_department_address(place.department), None))
    if not found:
        # An intercommunality spans départements: the prefecture's own one then.
        found.append((_department_address(call.initiative.owner_department), None))
    unique, seen = [], set()
    for address, point in found:
        key = tuple(sorted(address.items()))
        if key not in seen:
            seen.add(key)
            unique.append((address, point))
    return unique[:MAX_ADDRESSES]


def escape(text: str) -> str:
    """HTML-escaped without numeric references: API Engagement refuses any "&#" (Django's
    escape writes an apostrophe as "&#x27;")."""
    return html_escape(text, quote=False)


def _description(call: VolunteerCall) -> str:
    """HTML, as API Engagement recommends: the call, then who carries it and how to answer."""
    initiative = call.initiative
    parts = [f"<p>{escape(p.strip())}</p>" for p in call.description.split("\n\n") if p.strip()]
    parts.append(
        f'<p>Initiative\u00a0: <a href="{escape(_absolute(initiative.get_absolute_url()))}">'
        f"{escape(initiative.title)}</a>, portée par {escape(initiative.actor_name)}.</p>"
    )
    if call.answer_email:
        parts.append(f"<p>Pour répondre\u00a0: {escape(call.answer_email)}</p>")
    return "".join(parts)[:DESCRIPTION_MAX]


def _organization_url(initiative) -> str | None:
    for contact in initiative.contacts.all():
        if contact.kind == ContactKind.URL:
            return contact.value
    return None


def mission_record(call: VolunteerCall) -> dict:
    """One call in the shape of API Engagement's createMission body (no nulls: a missing
    value is left out, which the importer reads as unknown)."""
    initiative = call.initiative
    start = call.start_date or timezone.localtime(call.created_at).date()
    record = {
        "clientId": client_id(call),
        "title": call.title,
        "description": _description(call),
        # An e-mail-only call is answered from its page on the platform, which shows it.
        "applicationUrl": call.answer_url or _absolute(call.get_absolute_url()),
        "domain": call.domain,
        "type": "benevolat",
        "remote": call.remote,
        "schedule": call.schedule or None,
        "places": call.volunteers_wanted,
        "postedAt": _iso(call.created_at),
        "startAt": _iso(start),
        "endAt": _iso(call.end_date) if call.end_date else None,
        "tags": [theme.name for theme in initiative.themes.all()] or None,
        "audience": [b.strip() for b in initiative.beneficiaries.split(",") if b.strip()] or None,
        "addresses": [address for address, _ in call_locations(call)],
        # Their actor per prefecture: one organisation for all its initiatives' calls.
        "organizationClientId": f"{initiative.owner_department_id}-{slugify(initiative.actor_name)}",
        "organizationName": initiative.actor_name,
        "organizationType": initiative.get_actor_kind_display(),
        "organizationUrl": _organization_url(initiative),
    }
    return {key: value for key, value in record.items() if value is not None}


def feed_updated_at() -> datetime | None:
    return feed_calls().aggregate(latest=Max("updated_at"))["latest"]


def _list_element(parent: ET.Element, name: str, values: Iterable[str]) -> None:
    element = ET.SubElement(parent, name)
    for value in values:
        ET.SubElement(element, "value").text = value


def feed_xml(calls: Iterable[VolunteerCall]) -> bytes:
    """The <source> document API Engagement pulls: required elements first in each mission."""
    source = ET.Element("source")
    ET.SubElement(source, "publisher").text = f"{settings.SITE_TITLE} — {settings.PREFECTURE_NAME}"
    ET.SubElement(source, "publisherurl").text = settings.SITE_ROOT + "/"
    ET.SubElement(source, "lastBuildDate").text = _iso(timezone.now())
    for call in calls:
        record = mission_record(call)
        mission = ET.SubElement(source, "mission")
        for name, value in record.items():
            if name in NOT_IN_XML:
                continue
            if name == "addresses":
                addresses = ET.SubElement(mission, "addresses")
                for address, point in call_locations(call):
                    element = ET.SubElement(addresses, "address")
                    for key, text in address.items():
                        ET.SubElement(element, key).text = text
                    if point:
                        location = ET.SubElement(element, "location")
                        ET.SubElement(location, "lat").text = f"{point[0]:.6f}"
                        ET.SubElement(location, "lon").text = f"{point[1]:.6f}"
            elif isinstance(value, list):
                _list_element(mission, name, value)
            else:
                ET.SubElement(mission, name).text = str(value)
    ET.indent(source)
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return (declaration + ET.tostring(source, encoding="unicode") + "\n").encode()
