"""Every route of the URL resolver, requested with real and fuzzed values: never a 5xx.

Routes are enumerated from ``get_resolver()`` (the admin's and the API's included), their
converters filled with values of the demo data and with fuzzed ones (NUL, control and
unicode characters, huge integers, traversal strings); each is requested with GET as an
anonymous visitor, a moderator and a superuser, then POSTed with fuzzed bodies built from
the fields of its own form. A seeded generator keeps the run reproducible and bounded.
"""

import logging
import random
import re
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from solidaire.accounts.models import Invitation, Role, User
from solidaire.alerts.models import Alert, AlertRecipient, AlertScope
from solidaire.bulletins.models import Subscriber
from solidaire.bulletins.services import bulletin_create_draft
from solidaire.imports.services import document_analyse
from solidaire.initiatives.models import Report, Status
from solidaire.opendata.figures import CHART_SLUGS
from solidaire.sitemaps import SITEMAPS
from tests.bulletins.factories import make_demo_bulletin
from tests.database import module_data
from tests.factories import make_initiative, make_staff
from tests.imports.factories import sample_text

pytestmark = pytest.mark.django_db

COST = {}
SEED = 15
FUZZ_PER_ROUTE = 2  # fuzzed paths per route, on top of the real values
POSTS_PER_ROUTE = 2

FUZZ_TEXT = [
    "\x00",
    "abc\x00def",
    "\x1b[31m",
    "é",
    "日本語",
    "\U0001f600",
    "a" * 300,
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%ff%fe",
    " ",
    "null",
]
FUZZ_INT = ["0", "-1", "2147483648", "9223372036854775808", "9" * 40]


@dataclass
class Route:
    name: str
    parts: list  # the chain of patterns, outermost first

    @property
    def text(self) -> str:
        """As ``ResolverMatch.route`` spells it (inner regexes lose their "^")."""
        return "".join(
            str(p) if i == 0 else str(p).removeprefix("^") for i, p in enumerate(self.parts)
        )

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def all_routes() -> list[Route]:
    routes = []

    def walk(resolver, parts, namespaces):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern, [*parts, pattern.pattern], ns)
            else:
                name = ":".join([*namespaces, pattern.name or f"<{pattern.pattern}>"])
                routes.append(Route(name, [*parts, pattern.pattern]))

    walk(get_resolver(), [], [])
    return routes


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def fill(route: Route, values) -> str | None:
    """A path for ``route``, each converter's value given by ``values(name, kind)``."""
    out = []
    for part in route.parts:
        if isinstance(part, RoutePattern):
            out.append(_CONVERTER.sub(lambda m: values(m["name"], m["conv"] or "str"), str(part)))
        elif isinstance(part, RegexPattern):
            regex = str(part).lstrip("^").rstrip("$")
            choice = re.search(r"\(\?P<app_label>([^)]*)\)", regex)
            if choice:
                regex = regex.replace(choice.group(0), choice.group(1).split("|")[0])
            out.append(re.sub(r"\(\?P<url>\.\*\)", "inconnue/", regex))
    return "/" + "".join(out)


def route_of(path: str) -> str | None:
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    return match.route


def _build():
    admin = make_staff("fuzz-admin", superuser=True)
    moderator = make_staff("fuzz-modo", moderator=["62"])
    bulletin, initiatives = make_demo_bulletin()
    draft = bulletin_create_draft(series=bulletin.series, by=admin, initiatives=initiatives[:3])
    proposal = make_initiative(status=Status.SUBMITTED, title="Proposition à modérer")
    report = Report.objects.create(initiative=initiatives[0], message="Action terminée.")
    subscriber = Subscriber.objects.create(series=bulletin.series, email="lecteur@exemple.test")
    invitation = Invitation.objects.create(
        email="agent@prefecture.test",
        role=Role.MODERATOR,
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    document, _ = document_analyse(
        text=sample_text(), name="n06.txt", department="62", campaign=bulletin.series.campaign
    )
    item = draft.items.first()
    alert_recipient = AlertRecipient.objects.create(email="alerte@exemple.test")
    alert = Alert.objects.create(
        recipient=alert_recipient, scope=AlertScope.COMMUNE, commune_id="62193"
    )
    return {
        "admin": admin.pk,
        "moderator": moderator.pk,
        # (route name prefix, converter name) -> real values
        "values": {
            ("initiatives:", "pk"): [initiatives[0].pk],
            ("moderation:", "pk"): [proposal.pk],
            ("moderation:resolve_report", "pk"): [report.pk],
            ("moderation:", "action"): ["publier", "refuser"],
            ("bulletins:", "pk"): [draft.pk],
            ("bulletins:", "item_pk"): [item.pk],
            ("bulletins:", "direction"): ["up", "down"],
            ("bulletins:", "slug"): [bulletin.series.slug],
            ("bulletins:", "number"): [bulletin.number],
            ("bulletins:", "token"): [subscriber.unsubscribe_token],
            ("initiatives:follow", "token"): [proposal.submitter_token],
            ("initiatives:", "slug"): [bulletin.series.campaign.slug],
            ("accounts:", "token"): [invitation.token],
            ("imports:", "pk"): [document.pk],
            ("opendata:api-initiative", "pk"): [initiatives[0].pk],
            ("opendata:export", "fmt"): ["csv", "json", "geojson"],
            ("opendata:chart-csv", "slug"): CHART_SLUGS,
            ("", "insee"): ["62193", "62041"],
            ("", "siren"): ["200033579"],
            ("", "code"): ["621"],
            ("initiatives:department", "code"): ["62", "2A"],
            ("initiatives:feed_epci", "code"): ["246200729"],
            ("initiatives:feed_department", "code"): ["62"],
            ("alerts:unsubscribe", "token"): [alert.unsubscribe_token],
            ("alerts:", "token"): [alert_recipient.manage_token],
            ("initiatives:region", "code"): ["32", "94"],
            ("territory:outline", "name"): ["communes-62", "departements", "regions"],
            ("", "section"): list(SITEMAPS),
            ("admin:", "object_id"): [initiatives[0].pk, admin.pk],
            ("admin:", "content_type_id"): [1],
        },
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker, _build) as rows:
        yield rows


def real_values(demo, route: Route, name: str) -> list:
    found = []
    for (prefix, key), values in demo["values"].items():
        if key == name and route.name.startswith(prefix):
            found.append((len(prefix), values))
    if not found:
        return ["1"]
    return max(found, key=lambda pair: pair[0])[1]


class _Fields(HTMLParser):
    """Names of a page's form fields (with a value or an option), to fuzz its POST."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select") and attrs.get("name"):
            self.fields.setdefault(attrs["name"], [])
            if attrs.get("value"):
                self.fields[attrs["name"]].append(attrs["value"])
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._select and attrs.get("value"):
            self.fields[self._select].append(attrs["value"])


def form_fields(html: str) -> dict[str, list[str]]:
    parser = _Fields()
    parser.feed(html)
    return parser.fields


def fuzz_body(rng: random.Random, fields: dict[str, list[str]]) -> dict:
    body = {}
    for name, seen in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        pool = [*seen, *FUZZ_TEXT, *FUZZ_INT] if seen else [*FUZZ_TEXT, *FUZZ_INT]
        body[name] = rng.choice(pool)
    body.setdefault("q", rng.choice(FUZZ_TEXT))
    return body


@pytest.fixture
def quiet_request_log():
    # Thousands of expected 4xx would each log a warning (and a traceback for 403s).
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_every_route_answers_without_a_server_error(demo, capsys, quiet_request_log):
    rng = random.Random(SEED)
    routes = all_routes()
    assert len(routes) > 150  # the resolver really was walked (admin and API included)
    anonymous = Client(raise_request_exception=False)
    moderator = Client(raise_request_exception=False)
    moderator.force_login(User.objects.get(pk=demo["moderator"]))
    admin = Client(raise_request_exception=False)
    admin.force_login(User.objects.get(pk=demo["admin"]))

    hit: set[str] = set()
    answered: set[str] = set()
    errors: list[str] = []
    requests = 0
    started = time.monotonic()

    def request(client, method, path, route, data=None):
        nonlocal requests
        requests += 1
        t0 = time.monotonic()
        response = getattr(client, method)(path, data or {})
        COST[route.name] = COST.get(route.name, 0) + time.monotonic() - t0
        if route_of(path) == route.text:
            hit.add(route.text)
            if response.status_code < 400:
                answered.add(route.text)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {method.upper()} {path!r} ({route.name})")
        return response

    def real(route):
        return fill(
            route, lambda name, kind: quote(str(rng.choice(real_values(demo, route, name))))
        )

    def fuzzed(route):
        def value(name, kind):
            pool = FUZZ_INT if kind == "int" else FUZZ_TEXT
            raw = rng.choice(pool)
            return raw if "%" in raw else quote(raw, safe="")

        return fill(route, value)

    # GET: the real values as every persona (the admin's routes as its superuser only),
    # then fuzzed values in the path and the query string (the moderator on staff pages).
    pages = {}
    for route in routes:
        path = real(route)
        if route.is_admin:
            clients = [admin]
        elif route.text.startswith("gestion/"):
            clients = [anonymous, moderator, admin]
        else:
            clients = [anonymous, admin]
        for client in clients:
            response = request(client, "get", path, route)
            is_page = "html" in response.get("Content-Type", "")
            if client is admin and response.status_code == 200 and is_page and not route.is_admin:
                pages[route.name] = (path, response.content.decode())
        for _ in range(1 if route.is_admin else FUZZ_PER_ROUTE):
            request(rng.choice(clients), "get", fuzzed(route), route)
        query = f"?{quote(rng.choice(FUZZ_TEXT))}={quote(rng.choice(FUZZ_TEXT + FUZZ_INT))}"
        request(rng.choice(clients), "get", path + query, route)

    # POST: fuzzed bodies for the fields of each route's own form (or a bare one).
    for route in routes:
        if route.is_admin:
            continue
        path, html = pages.get(route.name, (real(route), ""))
        fields = form_fields(html)
        for _ in range(POSTS_PER_ROUTE):
            request(rng.choice([anonymous, admin]), "post", path, route, fuzz_body(rng, fields))

    elapsed = time.monotonic() - started
    total = len(routes)
    # Two routes may share a text (the throttled admin login shadows the admin's own).
    routes_hit = sum(route.text in hit for route in routes)
    with capsys.disabled():
        sys.stdout.write(
            f"\nroutes hit / routes total: {routes_hit} / {total} ({100 * routes_hit // total} %), "
            f"answered below 400: {len(answered)}, requests: {requests} in {elapsed:.0f} s, "
            f"5xx: {len(errors)}\n"
        )
        for name, cost in sorted(COST.items(), key=lambda kv: -kv[1])[:5]:
            sys.stdout.write(f"  slowest: {cost:5.1f} s {name}\n")
    missing = sorted(route.name for route in routes if route.text not in hit)
    assert missing == []
    assert errors == []
