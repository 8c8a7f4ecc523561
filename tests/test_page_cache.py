"""The page cache (solidaire/pagecache/): anonymous public pages and API answers served from
the shared cache, replaced as soon as what they show changes, never for staff, never with
a message, a session or a CSRF token."""

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import Client, RequestFactory

from solidaire.bulletins.services import bulletin_correct
from solidaire.initiatives.models import Status
from solidaire.initiatives.services import initiative_archive, initiative_publish, initiative_update
from solidaire.lib.geo import haversine_km
from solidaire.pagecache import middleware
from solidaire.pagecache.middleware import HEADER, PageCacheMiddleware
from solidaire.pagecache.versions import PREFIX, SITE
from solidaire.territory.models import Commune
from tests.bulletins.factories import make_demo_bulletin
from tests.factories import make_initiative

CALAIS, ARRAS = "62193", "62041"


def _near_calais() -> str:
    """A commune other than Calais whose page lists Calais' initiatives as nearby."""
    calais = Commune.objects.get(pk=CALAIS)
    for commune in Commune.objects.filter(department_id="62").exclude(pk=CALAIS):
        distance = haversine_km(
            calais.latitude, calais.longitude, commune.latitude, commune.longitude
        )
        if distance < 10:
            return commune.pk
    raise AssertionError("no commune near Calais")


@pytest.fixture
def shown(db):
    return {
        "calais": make_initiative(title="Visières à Calais", communes=(CALAIS,)),
        "arras": make_initiative(title="Masques à Arras", communes=(ARRAS,)),
    }


def pages(shown) -> dict[str, str]:
    return {
        "home": "/",
        "list": "/initiatives/",
        "search": "/initiatives/?q=visieres",
        "detail": shown["calais"].get_absolute_url(),
        "other detail": shown["arras"].get_absolute_url(),
        "commune": f"/communes/{CALAIS}/",
        "far commune": f"/communes/{ARRAS}/",
        "near commune": f"/communes/{_near_calais()}/",
        "département": "/departements/62/",
        "map counts": "/carte/compteurs.json",
        "map panel": f"/carte/communes/{CALAIS}/",
        "api": f"/api/v1/initiatives/?commune={CALAIS}",
        "api detail": f"/api/v1/initiatives/{shown['calais'].pk}/",
    }


def warm(client, urls) -> None:
    for url in urls:
        assert client.get(url)[HEADER] == "miss", url
        assert client.get(url)[HEADER] == "hit", url


def states(client, urls) -> dict[str, str]:
    return {name: client.get(url)[HEADER] for name, url in urls.items()}


def test_a_second_anonymous_get_is_served_from_the_cache_without_a_query(
    visitor, shown, django_assert_num_queries
):
    for url in pages(shown).values():
        first = visitor.get(url)
        assert first.status_code == 200 and first[HEADER] == "miss", url
        with django_assert_num_queries(0):
            again = visitor.get(url)
        assert again[HEADER] == "hit", url
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]


def test_a_hit_keeps_the_security_headers_and_the_typography(visitor, shown):
    url = shown["calais"].get_absolute_url()
    first, again = visitor.get(url), visitor.get(url)
    assert again[HEADER] == "hit"
    for name in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Type",
    ):
        assert again[name] == first[name], name
    assert again["Cache-Control"].startswith("public, max-age=")
    assert "stale-while-revalidate" in again["Cache-Control"]
    assert "Cookie" in again["Vary"] and "Accept-Language" not in again["Vary"]
    # The final bytes: French spaces already in them (« Où ? » with a narrow space).
    assert "Où\u202f?" in again.content.decode()


def test_a_cached_api_answer_is_served_before_the_throttle_with_its_headers(
    visitor, shown, settings, django_assert_num_queries
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min"},
    }
    url = f"/api/v1/initiatives/?commune={CALAIS}"
    first = visitor.get(url)
    assert first.status_code == 200 and first[HEADER] == "miss"
    for _ in range(3):  # past the rate: answers from the cache cost no query, no count
        with django_assert_num_queries(0):
            again = visitor.get(url)
        assert again.status_code == 200 and again[HEADER] == "hit"
        assert again.content == first.content
        assert again.json()["results"][0]["title"] == "Visières à Calais"
        for name in ("Content-Type", "ETag", "Vary", "Allow", "X-Content-Type-Options",
                     "Referrer-Policy", "Cross-Origin-Opener-Policy"):  # fmt: skip
            assert again.get(name) == first.get(name), name
        assert again["Content-Type"] == "application/json"
        assert again["Cache-Control"].startswith("public, max-age=")
        assert int(again["Content-Length"]) == len(first.content)
    assert visitor.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # What reaches a view is still throttled: the second request made by the API is let
    # through (2/min), the third answered 429 with its wait.
    assert visitor.get(f"{url}&page_size=3").status_code == 200
    refused = visitor.get(f"{url}&page_size=4")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.get(HEADER) is None


def test_a_publication_replaces_exactly_the_pages_that_show_it(
    visitor, shown, moderator62, django_capture_on_commit_callbacks
):
    urls = pages(shown)
    warm(visitor, urls.values())
    proposal = make_initiative(
        title="Visières de Coquelles", communes=(CALAIS,), status=Status.SUBMITTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        initiative_publish(initiative=proposal, by=moderator62)
    seen = states(visitor, urls)
    assert seen == {
        **dict.fromkeys(urls, "miss"),
        # Neither Arras' pages nor the other initiatives' pages show it.
        "detail": "hit",
        "other detail": "hit",
        "api detail": "hit",
        "far commune": "hit",
    }
    assert "Visières de Coquelles" in visitor.get(urls["commune"]).content.decode()
    assert "Visières de Coquelles" in visitor.get(urls["near commune"]).content.decode()
    assert visitor.get(urls["map counts"]).json()["communes"][CALAIS] == 2
    api = visitor.get(urls["api"]).json()["results"]
    assert "Visières de Coquelles" in {row["title"] for row in api}


def test_an_archive_replaces_the_pages_of_its_places(visitor, shown, moderator62):
    urls = pages(shown)
    warm(visitor, urls.values())
    initiative_archive(initiative=shown["calais"], by=moderator62)
    seen = states(visitor, urls)
    assert seen["detail"] == seen["api detail"] == seen["commune"] == seen["list"] == "miss"
    assert seen["map counts"] == seen["near commune"] == "miss"
    assert seen["far commune"] == seen["other detail"] == "hit"
    assert "Terminée" in visitor.get(urls["detail"]).content.decode()


def test_a_change_of_place_replaces_the_pages_of_both_places(
    visitor, shown, django_capture_on_commit_callbacks
):
    urls = pages(shown)
    warm(visitor, urls.values())
    moving = shown["calais"]
    # The old places' pages at once, the new places' once the edit is committed.
    with django_capture_on_commit_callbacks(execute=True):
        initiative_update(
            initiative=moving, data={}, actor="staff", places=[("commune", ARRAS)], themes=[]
        )
    seen = states(visitor, urls)
    # Calais (where it was), Arras (where it is), their neighbours and the lists.
    assert seen["commune"] == seen["far commune"] == seen["near commune"] == "miss"
    assert seen["detail"] == seen["map counts"] == seen["api"] == "miss"
    assert seen["other detail"] == "hit"
    assert "Visières à Calais" not in visitor.get(urls["commune"]).content.decode()
    assert "Visières à Calais" in visitor.get(urls["far commune"]).content.decode()


def test_an_unpublished_change_replaces_nothing(visitor, shown, moderator62):
    urls = pages(shown)
    warm(visitor, urls.values())
    proposal = make_initiative(title="Brouillon", communes=(CALAIS,), status=Status.SUBMITTED)
    initiative_update(
        initiative=proposal, data={"title": "Brouillon modifié"}, actor="staff", places=[]
    )
    assert set(states(visitor, urls).values()) == {"hit"}


def test_staff_requests_bypass_the_cache_both_ways(visitor, shown, moderator62):
    url = "/initiatives/"
    assert visitor.get(url)[HEADER] == "miss"
    staff = Client()
    staff.force_login(moderator62)
    for _ in range(2):
        response = staff.get(url)
        assert response[HEADER] == "bypass"
        assert response["Cache-Control"] == "private, no-cache"
        assert 'href="/gestion/"' in response.content.decode()
    anonymous = Client().get(url)
    assert anonymous[HEADER] == "hit"
    assert 'href="/gestion/"' not in anonymous.content.decode()


def test_a_page_with_a_message_is_never_cached_nor_served_from_the_cache(visitor, shown):
    url = shown["calais"].get_absolute_url()
    warm(visitor, [url])
    response = visitor.post(f"{url}signaler/", {"message": "L'action est terminée."})
    assert response.status_code == 302
    confirmation = visitor.get(response["Location"])
    assert confirmation[HEADER] == "bypass"
    assert "votre signalement a été transmis" in confirmation.content.decode()
    later = Client().get(url)
    assert later[HEADER] == "hit"
    assert "votre signalement" not in later.content.decode()


def _middleware_serving(render):
    calls = []

    def get_response(request):
        calls.append(request)
        return render(request)

    return PageCacheMiddleware(get_response), calls


@pytest.mark.parametrize(
    "why",
    ["csrf", "cookie", "session", "message", "private"],
)
def test_a_response_that_is_private_to_its_visitor_is_never_kept(db, why):
    def render(request):
        if why == "csrf":
            template = engines["django"].from_string("<form>{% csrf_token %}</form>")
            return HttpResponse(template.render({}, request))
        response = HttpResponse("<p>Page</p>")
        if why == "cookie":
            response.set_cookie("csrftoken", get_token(request))
        if why == "session":
            request.session = type("Session", (), {"modified": True})()
        if why == "message":
            request._messages = ["Enregistré."]
        if why == "private":
            response["Cache-Control"] = "private"
        return response

    middleware, calls = _middleware_serving(render)
    for _ in range(2):
        request = RequestFactory().get("/initiatives/")
        response = middleware(request)
        assert response[HEADER] == f"bypass ({why})"
        assert response["Cache-Control"] == "private, no-cache"
    assert len(calls) == 2


def test_the_messages_of_the_request_are_read_through_djangos_storage(visitor, shown):
    # The middleware counts messages with len(): Django's storage supports it.
    response = visitor.post(
        f"{shown['calais'].get_absolute_url()}signaler/", {"message": "C'est fini."}
    )
    assert len(get_messages(response.wsgi_request)) == 1


def test_a_matching_etag_gets_a_304_until_the_page_changes(visitor, shown, moderator62):
    url = "/initiatives/"
    etag = visitor.get(url)["ETag"]
    assert etag.startswith('"')
    hit = visitor.get(url, headers={"If-None-Match": etag})
    assert hit.status_code == 304 and hit[HEADER] == "hit"
    assert hit["ETag"] == etag and not hit.content
    assert hit["Cache-Control"].startswith("public")
    initiative_archive(initiative=shown["calais"], by=moderator62)
    changed = visitor.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_htmx_fragments_are_kept_apart_from_the_pages(visitor, shown):
    page = visitor.get("/initiatives/")
    fragment = visitor.get("/initiatives/", headers={"HX-Request": "true"})
    assert fragment[HEADER] == "miss"
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert visitor.get("/initiatives/", headers={"HX-Request": "true"}).content == fragment.content
    assert "HX-Request" in page["Vary"]


def test_a_version_dropped_by_the_cache_drops_the_pages_kept_under_it(visitor, shown, monkeypatch):
    warm(visitor, ["/initiatives/"])
    # As another process's change: this process trusts its own copy for LOCAL_SECONDS.
    cache.delete(PREFIX + SITE)
    assert visitor.get("/initiatives/")[HEADER] == "hit"
    monkeypatch.setattr(middleware, "LOCAL_SECONDS", 0)
    assert visitor.get("/initiatives/")[HEADER] == "miss"
    assert visitor.get("/initiatives/")[HEADER] == "hit"


def test_a_hit_from_the_process_copy_asks_nothing_of_the_shared_cache(visitor, shown, monkeypatch):
    warm(visitor, ["/initiatives/"])
    monkeypatch.setattr(middleware, "versions_with", None)  # would fail if called
    assert visitor.get("/initiatives/")[HEADER] == "hit"


def test_post_requests_and_unlisted_pages_are_never_cached(visitor, shown):
    assert HEADER not in visitor.get("/initiatives/proposer/")
    assert HEADER not in visitor.get(f"{shown['calais'].get_absolute_url()}signaler/")
    assert HEADER not in visitor.post("/initiatives/", {})


def test_the_setting_turns_the_cache_off(visitor, shown, settings):
    settings.PAGE_CACHE = False
    visitor.get("/initiatives/")
    response = visitor.get("/initiatives/")
    assert HEADER not in response and response.context is not None


def test_a_bulletin_correction_replaces_its_pages_and_those_of_what_it_relays(visitor, db):
    bulletin, _ = make_demo_bulletin()
    relayed = bulletin.items.exclude(initiative=None).first().initiative
    other = make_initiative(title="Pas dans le bulletin")
    urls = {
        "archive": "/bulletins/",
        "series": bulletin.series.get_absolute_url(),
        "number": bulletin.get_absolute_url(),
        "relayed": relayed.get_absolute_url(),
        "other": other.get_absolute_url(),
        "list": "/initiatives/",
    }
    warm(visitor, urls.values())
    bulletin_correct(bulletin=bulletin, note="Coquille corrigée")
    assert states(visitor, urls) == {
        "archive": "miss",
        "series": "miss",
        "number": "miss",
        "relayed": "miss",
        "other": "hit",
        "list": "hit",
    }
    assert "Coquille corrigée" in visitor.get(urls["number"]).content.decode()


def test_pages_are_made_without_the_cache_when_it_is_down(visitor, shown, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(middleware, "versions_with", down)
    response = visitor.get("/initiatives/")
    assert response.status_code == 200 and HEADER not in response
    assert "Visières à Calais" in response.content.decode()
