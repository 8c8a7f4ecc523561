import pytest
from django.core.exceptions import PermissionDenied

from solidaire.initiatives.models import Status, Transition
from solidaire.initiatives.services import (
    TRANSITIONS,
    TransitionError,
    initiative_publish,
    initiative_transition,
)
from tests.factories import make_initiative

ALL_PAIRS = [(a, b) for a in Status.values for b in Status.values if a != b]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "to"), ALL_PAIRS)
def test_every_transition_is_allowed_or_refused_as_the_table_says(start, to, moderator62):
    initiative = make_initiative(status=start)
    actors = TRANSITIONS.get((start, to))
    if actors is None:
        with pytest.raises(TransitionError):
            initiative_transition(
                initiative=initiative, to=to, actor="staff", by=moderator62, message="raison"
            )
        initiative.refresh_from_db()
        assert initiative.status == start
        assert not Transition.objects.filter(initiative=initiative).exists()
        return
    actor = sorted(actors)[0]
    initiative_transition(
        initiative=initiative, to=to, actor=actor, by=moderator62, message="raison"
    )
    initiative.refresh_from_db()
    assert initiative.status == to
    step = Transition.objects.get(initiative=initiative)
    assert (step.from_status, step.to_status, step.actor) == (start, to, actor)


@pytest.mark.django_db
def test_a_submitter_cannot_publish(moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        initiative_transition(initiative=initiative, to=Status.PUBLISHED, actor="submitter")
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


@pytest.mark.django_db
def test_publishing_sets_the_publication_date(moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    initiative_publish(initiative=initiative, by=moderator62)
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED
    assert initiative.published_at is not None


@pytest.mark.django_db
def test_rejecting_requires_a_reason(moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    with pytest.raises(TransitionError):
        initiative_transition(
            initiative=initiative, to=Status.REJECTED, actor="staff", by=moderator62, message="  "
        )


ACTORS = ("staff", "submitter", "system", "import")
REFUSED_ACTORS = [
    (start, to, actor)
    for (start, to), actors in TRANSITIONS.items()
    for actor in ACTORS
    if actor not in actors
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "to", "actor"), REFUSED_ACTORS)
def test_every_allowed_transition_is_refused_to_the_other_actors(start, to, actor, moderator62):
    initiative = make_initiative(status=start)
    with pytest.raises(PermissionDenied):
        initiative_transition(
            initiative=initiative, to=to, actor=actor, by=moderator62, message="raison"
        )
    initiative.refresh_from_db()
    assert initiative.status == start
    assert not Transition.objects.filter(initiative=initiative).exists()


@pytest.mark.django_db
def test_the_database_refuses_a_published_initiative_without_a_publication_date():
    from django.db import IntegrityError, transaction

    initiative = make_initiative(status=Status.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(initiative).objects.filter(pk=initiative.pk).update(status=Status.PUBLISHED)


@pytest.mark.django_db
def test_a_back_dated_step_keeps_its_date(moderator62):
    import datetime

    when = datetime.datetime(2020, 4, 21, 9, 0, tzinfo=datetime.UTC)
    initiative = make_initiative(status=Status.SUBMITTED)
    initiative_publish(initiative=initiative, by=moderator62, at=when)
    initiative.refresh_from_db()
    assert initiative.published_at == when
    assert Transition.objects.get(initiative=initiative).created_at == when
