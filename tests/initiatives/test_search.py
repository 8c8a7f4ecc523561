"""French full-text search: the same result sets on SQLite (FTS5) and PostgreSQL (GIN).

The whole suite runs on both databases, so each expected set below is checked on both.
"""

import pytest
from django.db import connection

from solidaire.initiatives.models import Status
from solidaire.initiatives.search import analyze, ensure_sqlite_index, query_terms
from solidaire.initiatives.selectors import InitiativeFilters, initiative_search
from solidaire.initiatives.services import initiative_update
from tests.factories import make_initiative, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    theme = make_theme(name="Solidaires avec les personnels soignants")
    return {
        "visors": make_initiative(
            title="Visières pour les soignants",
            description="1 300 visières de protection produites avec des imprimantes 3D.",
            actor_name="Maison du numérique et de l'Innovation",
            communes=("62193",),
            themes=[theme],
        ),
        "masks": make_initiative(
            title="Atelier de masques",
            description="Des bénévoles du club couture confectionnent des masques AFNOR.",
            actor_name="Ville d'Aire-sur-la-Lys",
            actor_kind="municipality",
            communes=("62014",),
        ),
        "groceries": make_initiative(
            title="Courses pour les personnes âgées",
            description="Le CCAS livre les courses aux aînés isolés.",
            actor_name="CCAS de Lillers",
            beneficiaries="Personnes âgées isolées",
            communes=("62516",),
        ),
        "draft": make_initiative(
            title="Masques en attente",
            description="Proposée, pas encore publiée.",
            status=Status.SUBMITTED,
        ),
    }


SEARCHES = [
    ("visiere", {"visors"}),
    ("VISIÈRES", {"visors"}),
    ("Visière", {"visors"}),
    ("masque", {"masks"}),
    ("Masques", {"masks"}),
    ("personnes agées", {"groceries"}),
    ("les personnes âgées", {"groceries"}),
    ("soignant", {"visors"}),  # title and theme
    ("Calais", {"visors"}),  # place name
    ("aire sur la lys", {"masks"}),  # place and actor, hyphens as spaces
    ("numérique", {"visors"}),
    ("bénévole couture", {"masks"}),
    ("masque visière", set()),  # every word must match
    ("isolé", {"groceries"}),
    ("inexistant", set()),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_it_finds_the_same_set_on_every_database(corpus, query, expected):
    found = set(initiative_search(filters=InitiativeFilters(q=query)))
    assert found == {corpus[key] for key in expected}, connection.vendor


@pytest.mark.parametrize(
    "query",
    [
        '"masques',
        "masque*",
        "masques NEAR visières",
        "-masques",
        "masques OR",
        "masques AND (",
        "masques ^ : {}",
        "masques' --",
    ],
)
def test_it_treats_fts_operators_as_plain_words(corpus, query):
    found = set(initiative_search(filters=InitiativeFilters(q=query)))
    # "near", "or", "and" are plain words that no document holds: nothing or only the masks.
    assert found <= {corpus["masks"]}
    assert corpus["visors"] not in found


def test_it_handles_a_query_of_a_thousand_characters(corpus):
    query = ("masques " * 125)[:1000]
    found = set(initiative_search(filters=InitiativeFilters(q=query)))
    assert found == {corpus["masks"]}


@pytest.mark.parametrize("query", ['" * - les', "%", "_", "\\", "--"])
def test_a_query_with_nothing_searchable_finds_nothing(corpus, query):
    assert not initiative_search(filters=InitiativeFilters(q=query)).exists()


def test_an_empty_query_does_not_filter(corpus):
    found = set(initiative_search(filters=InitiativeFilters(q="  ")))
    assert found == {corpus["visors"], corpus["masks"], corpus["groceries"]}


def test_it_reindexes_when_the_places_change(corpus):
    masks = corpus["masks"]
    assert not initiative_search(filters=InitiativeFilters(q="Lillers")).filter(pk=masks.pk)
    places = [("commune", "62014"), ("commune", "62516")]
    initiative_update(initiative=masks, data={}, actor="staff", places=places)
    assert initiative_search(filters=InitiativeFilters(q="Lillers")).filter(pk=masks.pk).exists()


def test_it_reindexes_when_the_text_changes(corpus):
    groceries = corpus["groceries"]
    data = {"title": "Portage de repas"}
    initiative_update(initiative=groceries, data=data, actor="staff", places=[("commune", "62516")])
    assert set(initiative_search(filters=InitiativeFilters(q="repas"))) == {groceries}


def test_it_forgets_deleted_initiatives(corpus):
    corpus["masks"].delete()
    assert not initiative_search(filters=InitiativeFilters(q="masques")).exists()


def test_the_analyzer_folds_and_stems_like_the_documents():
    assert analyze("Visières") == analyze("visiere") == analyze("VISIERE")
    assert query_terms("Masques masque MASQUÉS") == ["masqu"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers only")
def test_missing_sqlite_triggers_are_restored_and_the_index_rebuilt(corpus):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER initiatives_search_fts_au")
    assert ensure_sqlite_index() is True
    initiative_update(
        initiative=corpus["visors"],
        data={"title": "Gel hydroalcoolique"},
        actor="staff",
        places=[("commune", "62193")],
        themes=list(corpus["visors"].themes.all()),
    )
    assert set(initiative_search(filters=InitiativeFilters(q="hydroalcoolique"))) == {
        corpus["visors"]
    }


def test_the_reindex_command_rebuilds_stale_documents(corpus):
    from io import StringIO

    from django.core.management import call_command

    from solidaire.initiatives.models import Initiative

    Initiative.objects.filter(pk=corpus["masks"].pk).update(search_document="")
    assert not initiative_search(filters=InitiativeFilters(q="masques")).exists()
    out = StringIO()
    call_command("reindex_search", stdout=out)
    assert "4 initiative(s) réindexée(s)" in out.getvalue()
    assert set(initiative_search(filters=InitiativeFilters(q="masques"))) == {corpus["masks"]}


def test_the_search_works_inside_a_subquery(corpus):
    # The API and exports nest the selector: the table is then aliased by Django.
    from solidaire.initiatives.models import Place

    ids = initiative_search(filters=InitiativeFilters(q="masques")).values("pk")
    places = Place.objects.filter(initiative_id__in=ids)
    assert {place.initiative_id for place in places} == {corpus["masks"].pk}
    nested = Place.objects.filter(
        initiative__in=initiative_search(filters=InitiativeFilters(q="visière"))
    )
    assert {place.initiative_id for place in nested} == {corpus["visors"].pk}


def test_renaming_a_theme_reindexes_its_initiatives(corpus):
    theme = corpus["visors"].themes.get()
    theme.name = "Fabrication solidaire"
    theme.save()
    assert set(initiative_search(filters=InitiativeFilters(q="fabrication"))) == {corpus["visors"]}


def test_the_database_has_its_full_text_index(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'initiative_search_vector_gin'"
            )
            assert "gin (search_vector)" in cursor.fetchone()[0]
            # Stored once per write, from the document: never recomputed by a query.
            cursor.execute(
                "SELECT generation_expression FROM information_schema.columns "
                "WHERE table_name = 'initiatives_initiative' AND column_name = 'search_vector'"
            )
            assert "to_tsvector('simple'::regconfig, search_document)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'initiatives_search_fts'")
            assert "fts5" in cursor.fetchone()[0]
