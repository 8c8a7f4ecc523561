"""Each write reindexes an initiative once, from the service that makes it.

Index writes are counted in the SQL sent: ``initiative_reindex`` is the only statement that
sets ``search_document`` alone, and on SQLite each one also rewrites the FTS5 row.
"""

import uuid
from types import SimpleNamespace

import pytest
from django.contrib.admin import site
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solidaire.initiatives.admin import InitiativeAdmin
from solidaire.initiatives.models import Initiative, Status
from solidaire.initiatives.search import search_filter
from solidaire.initiatives.services import initiative_publish, initiative_submit, initiative_update
from tests.factories import make_campaign, make_initiative, make_theme

pytestmark = pytest.mark.django_db

INDEX_WRITE = 'UPDATE "initiatives_initiative" SET "search_document" ='


class IndexWrites(CaptureQueriesContext):
    """The search documents written inside the block."""

    def __init__(self):
        super().__init__(connection)

    @property
    def count(self) -> int:
        return sum(query["sql"].startswith(INDEX_WRITE) for query in self.captured_queries)


def found(query: str) -> set[int]:
    """Every initiative the index matches, whatever its status."""
    return set(search_filter(Initiative.objects.all(), query).values_list("pk", flat=True))


def submit(**overrides):
    data = {
        "title": "Visières pour les soignants",
        "description": "Impression 3D.",
        "campaign": make_campaign(),
        "actor_name": "Maison du numérique",
        "actor_kind": "association",
        "submitter_email": "camille@exemple.test",
        **overrides,
    }
    initiative, _created = initiative_submit(
        submission_key=uuid.uuid4().hex,
        data=data,
        places=[("commune", "62193"), ("commune", "62041"), ("epci", "200033579")],
        themes=[make_theme(name="Approvisionnement")],
        quantities=[{"count": 300, "item": "visières"}],
        contacts=[("url", "https://exemple.test/")],
    )
    return initiative


def test_a_submission_is_indexed_once_places_and_themes_included():
    with IndexWrites() as writes:
        initiative = submit()
    assert writes.count == 1
    # Title, place (Arras), EPCI (CUA) and theme are all in the one document.
    for word in ("visières", "Calais", "Arras", "approvisionnement"):
        assert found(word) == {initiative.pk}, word


def test_an_edit_that_changes_the_places_is_indexed_once():
    initiative = submit()
    with IndexWrites() as writes:
        initiative_update(
            initiative=initiative,
            data={"title": "Masques pour les aînés"},
            actor="staff",
            places=[("commune", "62516"), ("commune", "62014")],
        )
    assert writes.count == 1
    assert found("masques Lillers") == {initiative.pk}
    assert found("Calais") == set()


def test_an_edit_that_deletes_places_is_indexed_once_not_once_per_place():
    initiative = submit()
    with IndexWrites() as writes:
        initiative_update(initiative=initiative, data={}, actor="staff", places=[])
    assert writes.count == 1
    assert found("Calais") == found("Arras") == set()
    assert found("visières") == {initiative.pk}


def test_publishing_leaves_the_document_alone(moderator62):
    # The document holds no status: the visible set changes through the status filter.
    initiative = submit()
    with IndexWrites() as writes:
        initiative_publish(initiative=initiative, by=moderator62)
    assert writes.count == 0
    assert found("visières") == {initiative.pk}


def test_renaming_a_theme_indexes_each_of_its_initiatives_once():
    theme = make_theme(name="Approvisionnement")
    initiatives = [make_initiative(title=f"Initiative {i}", themes=[theme]) for i in range(3)]
    other = make_initiative(title="Sans thème", status=Status.SUBMITTED)
    theme.name = "Fabrication solidaire"
    with IndexWrites() as writes:
        theme.save()
    assert writes.count == len(initiatives)
    assert found("fabrication") == {i.pk for i in initiatives}
    assert other.pk not in found("fabrication")


def test_an_edit_in_the_admin_is_indexed_once_after_its_inlines():
    initiative = submit()
    # What the admin's change form has saved: the row and, below, its places' inline.
    Initiative.objects.filter(pk=initiative.pk).update(title="Portage de repas")
    initiative.refresh_from_db()
    form = SimpleNamespace(instance=initiative, save_m2m=lambda: None)
    with IndexWrites() as writes:
        InitiativeAdmin(Initiative, site).save_related(None, form, [], change=True)
    assert writes.count == 1
    assert found("repas") == {initiative.pk}
