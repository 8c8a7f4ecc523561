import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from solidaire.initiatives.duplicates import likely_duplicates
from solidaire.initiatives.erasure import initiatives_purge_personal_data
from solidaire.initiatives.models import ContactKind, Initiative, Source, Status, Transition
from solidaire.initiatives.services import (
    initiative_bulk_publish,
    initiative_create,
    initiative_reject,
    initiative_request_changes,
    initiatives_archive_ended,
)
from tests.factories import make_campaign, make_initiative

pytestmark = pytest.mark.django_db


def create(**overrides):
    data = {
        "title": "Masques pour les commerçants",
        "description": "Des masques.",
        "campaign": make_campaign(),
        "actor_name": "Club couture",
        "actor_kind": "association",
        "submitter_email": "deposant@exemple.test",
    }
    kwargs = {"source": Source.IMPORT, "places": [("commune", "62014")]}
    kwargs.update(overrides.pop("kwargs", {}))
    data.update(overrides)
    return initiative_create(data=data, **kwargs)


def test_create_records_places_areas_quantities_contacts_and_the_first_step():
    initiative = create(
        kwargs={
            "places": [("commune", "62764"), ("epci", "200033579"), ("arrondissement", "621")],
            "quantities": [{"count": 300, "item": "visières"}],
            "contacts": [(ContactKind.EMAIL, "solidarité.grandarras@cu-arras.org")],
        }
    )
    assert [str(p.area) for p in initiative.places.all()][0].startswith("Saint-Nicolas")
    assert initiative.places.count() == 3
    assert initiative.quantities.get().item_key == "visiere"
    assert initiative.contacts.get().value == "solidarité.grandarras@cu-arras.org"
    step = initiative.transitions.get()
    assert (step.from_status, step.to_status, step.actor) == ("", Status.SUBMITTED, "import")


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (ContactKind.URL, "javascript:alert(1)"),
        (ContactKind.URL, "ftp://exemple.org/"),
        (ContactKind.EMAIL, "a@b"),
        (ContactKind.PHONE, "0123"),
    ],
)
def test_create_refuses_invalid_contacts_and_stores_nothing(kind, value):
    with pytest.raises(ValidationError):
        create(kwargs={"contacts": [(kind, value)]})
    assert not Initiative.objects.exists()


def test_create_refuses_an_end_before_the_start():
    with pytest.raises(ValidationError):
        create(start_date=datetime.date(2020, 4, 2), end_date=datetime.date(2020, 4, 1))


def test_requesting_changes_emails_the_message_to_the_submitter(
    moderator62, django_capture_on_commit_callbacks
):
    initiative = make_initiative(status=Status.SUBMITTED, submitter_email="d@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        initiative_request_changes(
            initiative=initiative, by=moderator62, message="Précisez le lieu."
        )
    assert initiative.status == Status.CHANGES_REQUESTED
    assert mail.outbox[0].to == ["d@exemple.test"]
    assert "Précisez le lieu." in mail.outbox[0].body
    assert initiative.submitter_token in mail.outbox[0].body


def test_rejecting_records_the_reason(moderator62):
    initiative = make_initiative(status=Status.SUBMITTED)
    initiative_reject(initiative=initiative, by=moderator62, reason="Hors sujet.")
    assert Transition.objects.get(initiative=initiative).message == "Hors sujet."


def test_bulk_publish_publishes_proposals_and_skips_the_others(moderator62):
    proposals = [make_initiative(status=Status.SUBMITTED) for _ in range(3)]
    rejected = make_initiative(status=Status.REJECTED)
    assert initiative_bulk_publish(initiatives=[*proposals, rejected], by=moderator62) == 3
    assert Initiative.objects.filter(status=Status.PUBLISHED).count() == 3
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED


def test_ended_initiatives_are_archived_by_the_system():
    today = timezone.localdate()
    ended = make_initiative(end_date=today - datetime.timedelta(days=1))
    running = make_initiative(end_date=today)
    assert initiatives_archive_ended(today=today) == 1
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.status, running.status) == (Status.ARCHIVED, Status.PUBLISHED)
    assert Transition.objects.get(initiative=ended).actor == "system"


def test_purging_erases_the_submitters_own_data_before_a_date():
    old = make_initiative(
        submitter_name="A", submitter_email="a@exemple.test", submitter_phone="+33612345678"
    )
    Initiative.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    recent = make_initiative(submitter_email="b@exemple.test")
    count = initiatives_purge_personal_data(before=timezone.now() - datetime.timedelta(days=365))
    assert count == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.submitter_name, old.submitter_email, old.submitter_phone) == ("", "", "")
    assert recent.submitter_email == "b@exemple.test"


def test_a_similar_title_in_the_same_commune_is_a_likely_duplicate():
    first = make_initiative(title="Visières pour les soignants de Calais", communes=["62193"])
    second = make_initiative(title="Des visières pour les soignants à Calais", communes=["62193"])
    elsewhere = make_initiative(title="Visières pour les soignants de Calais", communes=["62041"])
    assert likely_duplicates(second) == [first]
    assert first not in likely_duplicates(elsewhere)


def test_the_same_url_or_phone_is_a_likely_duplicate():
    first = make_initiative(title="Atelier", contacts=[("url", "https://www.facebook.com/x/")])
    second = make_initiative(
        title="Autre", communes=["62041"], contacts=[("url", "http://facebook.com/x")]
    )
    third = make_initiative(
        title="Encore", communes=["59350"], contacts=[("phone", "+33321613610")]
    )
    fourth = make_initiative(title="Rien", communes=["59350"], contacts=[("phone", "+33321613610")])
    assert likely_duplicates(second) == [first]
    assert likely_duplicates(fourth) == [third]


def test_created_initiatives_are_found_by_their_place_name():
    from solidaire.initiatives.selectors import InitiativeFilters, initiative_search
    from solidaire.initiatives.services import initiative_publish

    initiative = create(
        kwargs={"places": [("commune", "62193")], "contacts": [("mairie", "62193")]}
    )
    initiative_publish(initiative=initiative, by=None)
    assert list(initiative_search(filters=InitiativeFilters(q="calais"))) == [initiative]


def test_a_racing_double_submit_is_stopped_by_the_unique_key(monkeypatch):
    from solidaire.initiatives import services

    data = {
        "title": "Masques",
        "description": "Des masques.",
        "campaign": make_campaign(),
        "actor_name": "Club couture",
        "actor_kind": "association",
    }
    first, created = services.initiative_submit(
        submission_key="cle-1", data=data, places=[("commune", "62014")]
    )
    assert created
    # The second request checked before the first committed: it sees nothing...
    real = services._submitted_with
    calls = []

    def stale_then_real(key):
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(services, "_submitted_with", stale_then_real)
    second, created = services.initiative_submit(
        submission_key="cle-1", data=data, places=[("commune", "62014")]
    )
    # ...and the database constraint answers for it.
    assert (second, created) == (first, False)
    assert Initiative.objects.count() == 1
