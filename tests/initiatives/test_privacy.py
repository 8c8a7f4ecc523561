"""The submitters' own name, e-mail and phone never reach a public response.

After load_demo, every public page, feed, export and API answer is fetched and searched
for the demo submitters' data. The list is built from the URL configuration itself (every
route without parameters, outside the staff areas), plus the parametrised pages below:
add a route there when you create one.
"""

import io

from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from solidaire.initiatives.models import Initiative
from solidaire.initiatives.validators import format_phone
from tests.database import module_fixtures

PRIVATE_PREFIXES = ("/gestion/", "/admin/", "/comptes/", "/initiatives/suivi/")


def parametrised_paths(initiatives) -> list[str]:
    """Public pages that take a parameter (extend me)."""
    paths = []
    for initiative in initiatives:
        paths.append(f"/initiatives/{initiative.pk}/")
        paths.append(f"/api/v1/initiatives/{initiative.pk}/")
        for place in initiative.places.all():
            if place.commune_id:
                paths.append(f"/communes/{place.commune_id}/")
                paths.append(f"/carte/communes/{place.commune_id}/")
                paths.append(f"/flux/communes/{place.commune_id}/rss/")
            if place.epci_id:
                paths.append(f"/epci/{place.epci_id}/")
            if place.arrondissement_id:
                paths.append(f"/arrondissements/{place.arrondissement_id}/")
    paths += [
        "/",
        "/initiatives/",
        "/initiatives/?q=visieres",
        "/initiatives/?commune=62193",
        "/api/v1/initiatives/",
        "/api/v1/initiatives/?q=calais",
        "/bulletins/",
        "/flux/initiatives/covid-19/rss/",
        "/flux/initiatives/covid-19/atom/",
        "/donnees/initiatives.csv",
        "/donnees/initiatives.json",
        "/donnees/initiatives.geojson",
    ]
    return paths


def static_paths(resolver=None, prefix="") -> list[str]:
    """Every route without parameters, walked from the root URLconf."""
    resolver = resolver or get_resolver()
    paths = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or "(?P" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            paths += static_paths(entry, route)
        elif isinstance(entry, URLPattern):
            paths.append("/" + route)
    return sorted({p for p in paths if not p.startswith(PRIVATE_PREFIXES)})


def load_demo():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    return list(Initiative.objects.order_by("published_at"))


demo_rows, demo = module_fixtures(
    load_demo, "The demo, loaded once for the module and deleted when it ends."
)


def private_values(initiatives) -> set[str]:
    values = set()
    for initiative in initiatives:
        values |= {initiative.submitter_name, initiative.submitter_email}
        values |= {initiative.submitter_phone, format_phone(initiative.submitter_phone)}
        values.add(format_phone(initiative.submitter_phone).replace(" ", ""))
    values.discard("")
    return values


def test_the_demo_has_private_submitter_data_to_protect(demo):
    values = private_values(demo)
    assert len(demo) == 11
    assert "deposant1@exemple.test" in values
    assert "06 12 34 56 01" in values


def test_no_public_response_contains_a_submitters_data(demo, client):
    values = private_values(demo)
    paths = static_paths() + parametrised_paths(demo)
    assert "/initiatives/proposer/" in paths
    fetched = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200:
            continue
        fetched += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        leaked = [value for value in values if value in text]
        assert leaked == [], f"{path} shows {leaked}"
    assert fetched >= 40  # the demo's pages, places, feeds, exports and API answers


def test_the_submitters_data_is_shown_to_staff_only(demo, client, moderator62):
    initiative = demo[0]
    client.force_login(moderator62)
    html = client.get(f"/gestion/initiatives/{initiative.pk}/").content.decode()
    assert initiative.submitter_email in html
