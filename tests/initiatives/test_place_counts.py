"""The per-place counts follow every service that changes what is listed, or where."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from solidaire.initiatives import services
from solidaire.initiatives.erasure import personal_data_erase
from solidaire.initiatives.models import Actor, PlaceCount, Status
from solidaire.initiatives.place_counts import place_counts, place_counts_rebuild
from solidaire.initiatives.selectors import (
    InitiativeFilters,
    initiative_count_known,
    initiative_search,
)
from solidaire.territory.models import Commune
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

CALAIS, ARRAS, LILLE, CUA = "62193", "62041", "59350", "200033579"


def stored() -> dict:
    return {
        (row.kind, row.code, row.status): row.count for row in PlaceCount.objects.exclude(count=0)
    }


def recounted() -> dict:
    """What a full recount finds: the incremental counts must always equal it."""
    before = stored()
    place_counts_rebuild()
    after = stored()
    return before, after


def test_a_publication_counts_the_initiative_in_every_scope(moderator62):
    initiative = make_initiative(status=Status.SUBMITTED, communes=(CALAIS,))
    assert place_counts("commune") == {}
    services.initiative_publish(initiative=initiative, by=moderator62)
    calais = Commune.objects.get(pk=CALAIS)
    assert place_counts("commune") == {CALAIS: 1}
    assert place_counts("department") == {"62": 1}
    assert place_counts("region") == {"32": 1}
    assert place_counts("epci") == {calais.epci_id: 1}
    assert place_counts("arrondissement") == {calais.arrondissement_id: 1}
    assert place_counts("all") == {"": 1}
    before, after = recounted()
    assert before == after


def test_an_archive_moves_the_count_to_the_archived_status(moderator62):
    initiative = make_initiative(communes=(CALAIS,))
    assert place_counts("commune", status=Status.PUBLISHED) == {CALAIS: 1}
    services.initiative_archive(initiative=initiative, by=moderator62)
    assert place_counts("commune", status=Status.PUBLISHED) == {}
    assert place_counts("commune", status=Status.ARCHIVED) == {CALAIS: 1}
    assert place_counts("commune") == {CALAIS: 1}  # archived initiatives stay listed


def test_archive_ended_and_bulk_publish_update_the_counts(moderator62):
    ended = make_initiative(communes=(ARRAS,), end_date=datetime.date(2020, 5, 1))
    proposals = [make_initiative(status=Status.SUBMITTED, communes=(LILLE,)) for _ in range(2)]
    assert services.initiatives_archive_ended(today=datetime.date(2021, 1, 1)) == 1
    assert place_counts("commune", status=Status.ARCHIVED) == {ARRAS: 1}
    assert services.initiative_bulk_publish(initiatives=proposals, by=moderator62) == 2
    assert place_counts("commune") == {ARRAS: 1, LILLE: 2}
    assert place_counts("department") == {"62": 1, "59": 2}
    ended.refresh_from_db()
    assert ended.status == Status.ARCHIVED


def test_a_place_change_moves_the_count(moderator62):
    initiative = make_initiative(communes=(CALAIS,))
    services.initiative_update(
        initiative=initiative,
        data={"title": "Déplacée"},
        actor=Actor.STAFF,
        by=moderator62,
        places=[("commune", LILLE), ("epci", CUA)],
        contacts=[("url", "https://example.org/")],
    )
    assert place_counts("commune") == {LILLE: 1}
    # Lille's, and the CUA's: an EPCI counts in every département where it has a commune.
    assert place_counts("department") == {"59": 1, "62": 1}
    # On a commune too: not drawn at the EPCI's point, but counted on the EPCI's page.
    assert place_counts("point_epci") == {}
    assert place_counts("epci")[CUA] == 1
    before, after = recounted()
    assert before == after


def test_an_area_only_initiative_is_a_point(moderator62):
    make_initiative(communes=(), epcis=(CUA,))
    make_initiative(communes=(), departments=("59",))
    assert place_counts("point_epci") == {CUA: 1}
    assert place_counts("point_department") == {"59": 1}
    assert place_counts("department") == {"59": 1, "62": 1}
    assert place_counts("commune") == {}


def test_a_proposal_edited_counts_nothing(submitter):
    initiative = make_initiative(status=Status.SUBMITTED, communes=(CALAIS,))
    services.initiative_update(
        initiative=initiative,
        data={"title": "Autre titre"},
        actor=Actor.SUBMITTER,
        places=[("commune", ARRAS)],
        contacts=[("url", "https://example.org/")],
    )
    assert stored() == {}


def test_an_initiative_placed_twice_in_a_departement_counts_once():
    make_initiative(communes=(CALAIS, ARRAS), arrondissements=("621",))
    assert place_counts("department") == {"62": 1}
    assert place_counts("commune") == {CALAIS: 1, ARRAS: 1}
    before, after = recounted()
    assert before == after


def test_an_erasure_that_unpublishes_takes_the_initiative_out_of_the_counts():
    make_initiative(
        communes=(CALAIS,),
        contacts=[("email", "camille.martin@exemple.test")],
        submitter_email="camille.martin@exemple.test",
    )
    assert place_counts("commune") == {CALAIS: 1}
    personal_data_erase(email="camille.martin@exemple.test", by=None)
    assert place_counts("commune") == {}
    assert place_counts("all") == {}


def test_the_command_rebuilds_counts_written_around_the_services():
    make_initiative(communes=(CALAIS,))
    PlaceCount.objects.all().delete()
    call_command("rebuild_place_counts", stdout=StringIO())
    assert place_counts("commune") == {CALAIS: 1}
    assert place_counts("all") == {"": 1}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": "archived"},
        {"commune": CALAIS},
        {"commune": LILLE, "status": "published"},
        {"epci": CUA},
        {"arrondissement": "621"},
        {"department": "62"},
        {"department": "59"},
        {"region": "32"},
        {"department": "2A"},
    ],
)
def test_the_stored_counts_are_the_lists_totals(filters):
    make_initiative(communes=(CALAIS, ARRAS))
    make_initiative(communes=(LILLE,), owner="59", status=Status.ARCHIVED)
    make_initiative(communes=(), epcis=(CUA,))  # the CUA's communes are all in the 62
    make_initiative(communes=(), arrondissements=("621",), departments=("59",))
    make_initiative(status=Status.SUBMITTED, communes=(CALAIS,))
    wanted = InitiativeFilters(**filters)
    assert initiative_count_known(filters=wanted) == initiative_search(filters=wanted).count()
    before, after = recounted()
    assert before == after


def test_counts_that_are_not_one_place_are_counted_by_the_query():
    assert initiative_count_known(filters=InitiativeFilters(q="masques")) is None
    both = InitiativeFilters(commune=CALAIS, department="62")
    assert initiative_count_known(filters=both) is None
