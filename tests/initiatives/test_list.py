import pytest
from django.db import connection

from solidaire.initiatives.models import Status
from solidaire.territory.models import Commune
from tests.factories import make_campaign, make_theme
from tests.factories import make_initiative as _make_initiative
from tests.initiatives.factories import make_many

pytestmark = pytest.mark.django_db


def make_initiative(**kwargs):
    return _make_initiative(description="Une action solidaire.", **kwargs)


def titles(response):
    return {initiative.title for initiative in response.context["page"].object_list}


@pytest.fixture
def world():
    covid = make_campaign()
    floods = make_campaign(slug="inondations", name="Inondations")
    carers = make_theme(campaign=covid, name="Solidaires avec les soignants")
    return {
        "calais": make_initiative(title="Visières Calais", communes=("62193",), themes=[carers]),
        "lillers": make_initiative(
            title="Courses Lillers", communes=("62516",), actor_kind="municipality"
        ),
        "cua": make_initiative(title="Visières CUA", communes=(), epcis=("200033579",)),
        "arras_arr": make_initiative(
            title="Arrondissement d'Arras", communes=(), arrondissements=("621",)
        ),
        "dept": make_initiative(title="Tout le 62", communes=(), departments=("62",)),
        "nord": make_initiative(title="Lille", communes=("59350",), owner="59"),
        "floods": make_initiative(title="Sacs de sable", communes=("62193",), campaign=floods),
        "archived": make_initiative(title="Terminée", status=Status.ARCHIVED),
        "draft": make_initiative(title="Brouillon", status=Status.SUBMITTED),
        "carers": carers,
    }


def test_it_lists_published_and_archived_initiatives_only(visitor, world):
    response = visitor.get("/initiatives/")
    assert response.status_code == 200
    assert "Brouillon" not in titles(response)
    assert {"Visières Calais", "Terminée", "Lille"} <= titles(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("campaign=inondations", {"Sacs de sable"}),
        ("commune=62516", {"Courses Lillers"}),
        ("commune=Lillers", {"Courses Lillers"}),
        ("actor_kind=municipality", {"Courses Lillers"}),
        ("status=archived", {"Terminée"}),
        # The CU d'Arras: placed on the EPCI itself (no commune of the fixture is inside).
        ("epci=200033579", {"Visières CUA"}),
        ("arrondissement=621", {"Arrondissement d'Arras"}),
        ("department=59", {"Lille"}),
        ("q=visiere&department=62", {"Visières Calais", "Visières CUA"}),
    ],
)
def test_it_filters(visitor, world, query, expected):
    response = visitor.get(f"/initiatives/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected
    assert not response.context["form"].errors


def test_the_department_filter_includes_its_areas_and_communes(visitor, world):
    response = visitor.get("/initiatives/?department=62&status=published")
    assert titles(response) == {
        "Visières Calais",
        "Courses Lillers",
        "Visières CUA",
        "Arrondissement d'Arras",
        "Tout le 62",
        "Sacs de sable",
    }


def test_the_epci_filter_includes_initiatives_of_its_communes(visitor, world):
    calais = Commune.objects.get(pk="62193")
    response = visitor.get(f"/initiatives/?epci={calais.epci_id}")
    assert titles(response) == {"Visières Calais", "Sacs de sable", "Terminée"}


def test_it_filters_by_theme(visitor, world):
    response = visitor.get(f"/initiatives/?theme={world['carers'].slug}")
    assert titles(response) == {"Visières Calais"}


@pytest.mark.parametrize(
    "query",
    [
        "campaign=nope",
        "epci=999999999",
        "arrondissement=ZZZ",
        "department=ZZ",
        "actor_kind=robot",
        "status=submitted",
        "commune=Xqzwvbk",
        "commune=" + "x" * 300,
        "q=" + "a" * 1001,
        "page=abc",
        "page=-1",
        "theme[]=1&theme=2",
    ],
)
def test_bad_parameters_show_the_page_with_a_french_message(visitor, world, query):
    response = visitor.get(f"/initiatives/?{query}")
    assert response.status_code == 200
    if not query.startswith("page="):
        assert response.context["form"].errors
        assert "Certains filtres n'ont pas pu être appliqués" in response.content.decode()


def test_an_unknown_value_does_not_hide_the_other_filters(visitor, world):
    response = visitor.get("/initiatives/?campaign=nope&commune=62516")
    assert titles(response) == {"Courses Lillers"}
    assert response.context["form"].errors["campaign"] == [
        "« nope » n'est pas une valeur connue pour ce filtre."
    ]
    assert "«\u00a0nope\u00a0» n&#x27;est pas une valeur connue" in response.content.decode()


def test_status_submitted_is_not_a_public_value(visitor, world):
    response = visitor.get("/initiatives/?status=submitted")
    assert "Brouillon" not in titles(response)


def test_it_paginates_with_shareable_urls(visitor, db):
    make_many(25)
    first = visitor.get("/initiatives/?q=initiative")
    second = visitor.get("/initiatives/?q=initiative&page=2")
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert titles(first).isdisjoint(titles(second))
    assert "q=initiative&amp;page=2" in first.content.decode()


def test_htmx_requests_get_only_the_results(visitor, world):
    response = visitor.get("/initiatives/?commune=62516", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="resultats"')
    assert "Courses Lillers" in html
    assert "<html" not in html


def test_the_full_page_carries_the_htmx_form(visitor, world):
    html = visitor.get("/initiatives/").content.decode()
    assert 'hx-get="/initiatives/"' in html
    assert 'id="resultats"' in html


@pytest.mark.parametrize("count", [5, 50])
def test_it_renders_in_a_constant_number_of_queries(visitor, django_assert_max_num_queries, count):
    make_many(count)
    visitor.get("/initiatives/")  # fills the cached filter choices
    # The page, its 3 prefetches, its capped count, and the département's EPCI ids; on
    # PostgreSQL a search's work_mem too (SET LOCAL, in a savepoint within the test's
    # transaction).
    extra = 3 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(6 + extra):
        response = visitor.get("/initiatives/?department=62&q=initiative")
    assert response.context["page"].paginator.count == count


def test_a_card_links_its_first_public_contact(visitor, db):
    phone = make_initiative(title="Appeler", communes=("62193",))
    phone.contacts.create(kind="phone", value="+33321320000", position=0)
    phone.contacts.create(kind="email", value="second@example.org", position=1)
    mail = make_initiative(title="Écrire", communes=("62193",))
    mail.contacts.create(kind="email", value="asso@example.org")
    html = visitor.get("/initiatives/").content.decode()
    assert 'href="tel:+33321320000"' in html
    assert "03 21 32 00 00" in html
    assert 'href="mailto:asso@example.org"' in html
    assert "second@example.org" not in html  # only the first contact


def test_a_commune_appears_once_per_card(visitor, db):
    initiative = make_initiative(title="Deux adresses", communes=("62193", "62193"))
    assert initiative.places.count() == 2
    html = visitor.get("/initiatives/").content.decode()
    card = html.split("Deux adresses", 1)[1].split("fr-card__end", 1)[0]
    assert card.count("Calais") == 1
