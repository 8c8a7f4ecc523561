"""The feeds API Engagement reads, checked against the shapes it publishes.

docs/specs/api-engagement/ holds them: the JSON records are validated with jsonschema
against the OpenAPI document's createMission body and Mission schema (read from the YAML,
with OpenAPI's ``nullable`` turned into JSON Schema); the XML feed against the element
tables of xml-feed.md (every required element present and first, every element known,
dates, numbers, enums and addresses in the documented forms).
"""

import re
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from defusedxml import ElementTree as ET
from django.utils import timezone

from solidaire.initiatives.models import Freshness, Status
from solidaire.territory.models import Commune
from tests.factories import make_initiative, make_theme, make_volunteer_call

pytestmark = pytest.mark.django_db

SPECS = Path(__file__).resolve().parents[2] / "docs" / "specs" / "api-engagement"
XML_URL = "/benevolat/flux-api-engagement.xml"
JSON_URL = "/benevolat/missions.json"


# --- The published shapes ---------------------------------------------------------------


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: ``nullable: true`` becomes a "null" type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items() if key != "example"}
    if node.pop("nullable", False) and "type" in node:
        node["type"] = [node["type"], "null"]
    return node


class OpenAPILoader(yaml.SafeLoader):
    """YAML 1.2 booleans only: PyYAML reads YAML 1.1, where the ``remote`` enum's bare
    ``no`` is the boolean false; the document means the string (its description says so)."""


OpenAPILoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
OpenAPILoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@cache
def openapi() -> dict:
    text = (SPECS / "openapi.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=OpenAPILoader)  # noqa: S506 - a SafeLoader


def _strict(schema: dict) -> dict:
    """No property the document does not name, in the record and in its addresses."""
    return {**schema, "additionalProperties": False}


@cache
def create_mission_schema() -> dict:
    body = openapi()["paths"]["/v2/mission"]["post"]["requestBody"]["content"]
    schema = _json_schema(body["application/json"]["schema"])
    components = _json_schema(openapi()["components"])
    components["schemas"]["Address"] = _strict(components["schemas"]["Address"])
    return {**_strict(schema), "components": components}


@cache
def mission_schema() -> dict:
    components = _json_schema(openapi()["components"])
    return {"$ref": "#/components/schemas/Mission", "components": components}


def documented_values(description: str) -> set[str]:
    """The `value` list an OpenAPI description gives in backticks."""
    return set(re.findall(r"`([^`]+)`", description.split("\n\n")[0] + description))


@cache
def xml_tables() -> dict[str, list[dict]]:
    """The element tables of xml-feed.md, by the heading above them."""
    tables, heading = {}, ""
    for line in (SPECS / "xml-feed.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("# ").strip()
        cells = (
            [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        )
        if len(cells) >= 4 and cells[0].startswith("`"):
            names = re.findall(r"`([^`]+)`", cells[0])
            tables.setdefault(heading, []).append(
                {"names": names, "type": cells[1], "required": cells[2] == "**R**", "text": line}
            )
    return tables


def xml_elements(heading_start: str) -> dict[str, dict]:
    rows = next(rows for heading, rows in xml_tables().items() if heading.startswith(heading_start))
    return {name: row for row in rows for name in row["names"]}


def _enum_in(row: dict) -> set[str]:
    """The values a row's meaning lists: `a`, `b` or `c`, or one `a, b, c`."""
    spans = re.findall(r"`([^`]+)`", row["text"].split("|")[4])
    return {value.strip() for span in spans for value in span.split(",")}


# --- Fixtures ---------------------------------------------------------------------------


@pytest.fixture
def calls(db):
    theme = make_theme(name="Éducation")
    initiative = make_initiative(
        title="L'école à la maison",
        actor_name="Association Lire et faire lire",
        actor_kind="association",
        beneficiaries="collégiens, lycéens",
        themes=[theme],
        contacts=[("url", "https://lire-et-faire-lire.example.org/")],
        communes=("62193", "62041"),
    )
    today = timezone.localdate()
    return {
        "full": make_volunteer_call(
            initiative,
            title="Soutien scolaire à distance",
            description="Aider l'élève à faire ses devoirs.\n\nDeux soirs par semaine.",
            domain="education",
            remote="full",
            start_date=today,
            end_date=today + timedelta(days=60),
            schedule="Deux soirs par semaine",
            volunteers_wanted=4,
            answer_url="https://lire-et-faire-lire.example.org/benevoles",
        ),
        "email only": make_volunteer_call(
            make_initiative(communes=(), departments=("62",)),
            title="Appels aux personnes isolées",
            answer_url="",
            answer_email="benevoles@exemple.fr",
        ),
        "own commune": make_volunteer_call(
            title="Collecte de jouets à Arras",
            commune=Commune.objects.get(pk="62041"),
            address="12 rue Ernestale",
        ),
    }


def feed(client):
    response = client.get(XML_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return response.content


def missions_by_id(client) -> dict:
    root = ET.fromstring(feed(client))
    return {m.findtext("clientId"): m for m in root.findall("mission")}


# --- JSON -------------------------------------------------------------------------------


def test_every_json_record_validates_against_the_openapi_shapes(visitor, calls):
    body = visitor.get(JSON_URL).json()
    assert body["count"] == len(calls) == len(body["missions"])
    domains = documented_values(
        openapi()["paths"]["/v2/mission"]["post"]["requestBody"]["content"]["application/json"][
            "schema"
        ]["properties"]["domain"]["description"]
    )
    for record in body["missions"]:
        jsonschema.validate(record, create_mission_schema())
        jsonschema.validate(record, mission_schema())
        for name in ("applicationUrl", "organizationUrl"):
            if name in record:
                parts = urlsplit(record[name])
                assert parts.scheme in ("http", "https") and parts.netloc, record[name]
        for name in ("postedAt", "startAt", "endAt"):
            if name in record:
                assert datetime.fromisoformat(record[name]).tzinfo is not None, record[name]
        assert record["domain"] in domains
        assert record["addresses"], record["clientId"]


def test_the_schema_check_can_fail():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "Sans identifiant"}, create_mission_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"clientId": "a", "title": "b", "remote": "parfois"}, mission_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"clientId": "a", "title": "b", "lieu": "x"}, create_mission_schema())


def test_a_record_says_what_the_call_says(visitor, calls):
    records = {r["clientId"]: r for r in visitor.get(JSON_URL).json()["missions"]}
    full = records[f"appel-{calls['full'].pk}"]
    assert full["places"] == 4 and full["remote"] == "full" and full["domain"] == "education"
    assert full["schedule"] == "Deux soirs par semaine"
    assert full["applicationUrl"] == "https://lire-et-faire-lire.example.org/benevoles"
    assert full["startAt"].startswith(timezone.localdate().isoformat())
    assert full["tags"] == ["Éducation"] and full["audience"] == ["collégiens", "lycéens"]
    assert full["organizationName"] == "Association Lire et faire lire"
    assert full["organizationUrl"] == "https://lire-et-faire-lire.example.org/"
    assert {a["city"] for a in full["addresses"]} == {"Calais", "Arras"}
    assert "<p>Deux soirs par semaine.</p>" in full["description"]
    email = records[f"appel-{calls['email only'].pk}"]
    # Answered by e-mail: applied for from the call's place on its initiative's page.
    assert email["applicationUrl"].endswith(calls["email only"].get_absolute_url())
    assert email["addresses"] == [
        {
            "departmentCode": "62",
            "departmentName": "Pas-de-Calais",
            "region": "Hauts-de-France",
            "country": "FR",
        }
    ]
    own = records[f"appel-{calls['own commune'].pk}"]
    assert own["addresses"] == [
        {
            "street": "12 rue Ernestale",
            "postalCode": "62000",
            "city": "Arras",
            "departmentCode": "62",
            "departmentName": "Pas-de-Calais",
            "region": "Hauts-de-France",
            "country": "FR",
        }
    ]


# --- XML --------------------------------------------------------------------------------


def test_the_xml_feed_has_the_documented_frame(visitor, calls):
    content = feed(visitor)
    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(content)
    assert root.tag == "source"
    assert root.findtext("publisher") and root.findtext("publisherurl")
    datetime.fromisoformat(root.findtext("lastBuildDate"))
    ids = [m.findtext("clientId") for m in root.findall("mission")]
    assert len(ids) == len(set(ids)) == len(calls)


def test_each_mission_has_the_required_elements_first_and_only_documented_ones(visitor, calls):
    elements = {**xml_elements("Mission elements"), **xml_elements("Organisation elements")}
    elements["addresses"] = {"type": "list", "required": False}
    address_elements = xml_elements("Location")
    required = [name for name, row in xml_elements("Mission elements").items() if row["required"]]
    assert required == ["clientId", "title", "description", "applicationUrl"]
    for mission in missions_by_id(visitor).values():
        children = [child.tag for child in mission]
        assert children[: len(required)] == required
        assert set(children) <= set(elements), set(children) - set(elements)
        for name in required:
            assert (mission.findtext(name) or "").strip(), name
        assert len(mission.findtext("title").split()) > 1
        assert len(mission.findtext("description")) <= 20_000
        for address in mission.find("addresses"):
            for child in address:
                assert child.tag in address_elements or child.tag == "location", child.tag
            assert address.findtext("country") == "FR"
            if address.findtext("postalCode") is not None:
                assert re.fullmatch(r"\d{5}", address.findtext("postalCode"))
            if address.find("location") is not None:
                assert -90 <= float(address.findtext("location/lat")) <= 90
                assert -180 <= float(address.findtext("location/lon")) <= 180


def test_dates_numbers_and_enums_have_the_documented_forms(visitor, calls):
    rows = xml_elements("Mission elements")
    for mission in missions_by_id(visitor).values():
        for name in ("postedAt", "startAt", "endAt"):
            value = mission.findtext(name)
            if value is not None:
                # With its offset: a bare date would be read as UTC midnight.
                assert datetime.fromisoformat(value).tzinfo is not None, value
        if mission.findtext("places") is not None:
            assert int(mission.findtext("places")) > 0
        assert mission.findtext("remote") in _enum_in(rows["remote"])
        assert mission.findtext("domain") in _enum_in(rows["domain"])
        if mission.find("tags") is not None:
            assert [v.text for v in mission.find("tags")]  # <value> children


def test_no_text_of_the_feed_leaves_a_numeric_entity_for_the_importer(visitor, calls):
    # « L'école à la maison » : Django's escape would have written the apostrophe as &#x27;.
    for mission in missions_by_id(visitor).values():
        for element in mission.iter():
            assert "&#" not in (element.text or ""), element.tag
    assert "L'école à la maison" in ET.fromstring(feed(visitor)).find("mission/description").text


def test_only_open_calls_of_running_initiatives_are_in_the_feeds(visitor, calls):
    yesterday = timezone.localdate() - timedelta(days=1)
    left_out = [
        make_volunteer_call(make_initiative(status=Status.SUBMITTED)),
        make_volunteer_call(make_initiative(status=Status.ARCHIVED)),
        make_volunteer_call(make_initiative(freshness=Freshness.HIDDEN)),
        make_volunteer_call(start_date=date(2020, 1, 1), end_date=yesterday),
        # On JeVeuxAider already: JeVeuxAider sends it to API Engagement itself.
        make_volunteer_call(
            jeveuxaider_url="https://www.jeveuxaider.gouv.fr/missions-benevolat/1/x"
        ),
    ]
    expected = {f"appel-{call.pk}" for call in calls.values()}
    assert set(missions_by_id(visitor)) == expected
    records = visitor.get(JSON_URL).json()["missions"]
    assert {r["clientId"] for r in records} == expected
    assert not expected & {f"appel-{call.pk}" for call in left_out}


def test_an_empty_feed_is_still_a_valid_document(visitor):
    root = ET.fromstring(feed(visitor))
    assert root.tag == "source" and root.findall("mission") == []
    assert visitor.get(JSON_URL).json() == {"count": 0, "missions": []}
