"""The erasure service: what it erases, and what it leaves alone."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solidaire.bulletins.models import Subscriber
from solidaire.initiatives.emails import send_submitter_email
from solidaire.initiatives.erasure import personal_data_erase
from solidaire.initiatives.models import ContactKind, Initiative, Status
from solidaire.initiatives.retention import retention_purge
from solidaire.initiatives.search import search_filter
from tests.bulletins.factories import make_series
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

NAME = "Jérémie Dupont-Lefèvre"
EMAIL = "jeremie.dupont-lefevre@exemple.fr"
PHONE = "03 21 32 00 00"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def theirs(**kwargs):
    return make_initiative(
        submitter_name=NAME, submitter_email=EMAIL, submitter_phone="+33321320000", **kwargs
    )


def test_it_leaves_other_people_and_places_alone():
    theirs(description=f"Contact : {NAME}.")
    other = make_initiative(
        title="Colis à Saint-Martin-Boulogne",
        description="Martin Dupont et Jérémie Durand livrent au 03 21 32 00 01.",
        contacts=[(ContactKind.PHONE, "+33321320001")],
        submitter_name="Martin Dupont",
        submitter_email="martin@exemple.fr",
    )
    series = make_series()
    Subscriber.objects.create(series=series, email="martin@exemple.fr")
    personal_data_erase(name=NAME, email=EMAIL, phone=PHONE, by=None)
    after = Initiative.objects.get(pk=other.pk)
    assert (after.title, after.description, after.submitter_email) == (
        other.title,
        other.description,
        "martin@exemple.fr",
    )
    assert after.contacts.get().value == "+33321320001"
    assert Subscriber.objects.filter(email="martin@exemple.fr").exists()


def test_a_mention_in_someone_elses_initiative_is_scrubbed_and_unsearchable():
    other = make_initiative(description="Merci à JEREMIE DUPONT-LEFEVRE (+33 3 21 32 00 00).")
    personal_data_erase(name=NAME, by=None, phone=PHONE)
    other.refresh_from_db()
    assert other.description == "Merci à [nom effacé] ([téléphone effacé])."
    assert not search_filter(Initiative.objects.all(), "Dupont-Lefèvre").exists()


def test_a_published_initiative_keeps_its_other_contacts_and_stays_online():
    initiative = theirs(
        contacts=[
            (ContactKind.PHONE, "+33321320000"),
            (ContactKind.URL, "https://visieres.example/"),
        ]
    )
    counts = personal_data_erase(initiative=initiative, by=None)
    initiative.refresh_from_db()
    assert [c.value for c in initiative.contacts.all()] == ["https://visieres.example/"]
    assert initiative.status == Status.PUBLISHED
    assert counts["contacts publics"] == 1
    assert (initiative.submitter_name, initiative.submitter_email) == ("", "")


def test_an_e_mail_finds_every_proposal_of_the_person():
    first, second = theirs(), theirs(title="Autre initiative")
    tokens = {first.submitter_token, second.submitter_token}
    personal_data_erase(email=EMAIL.upper(), by=None)
    rows = Initiative.objects.filter(pk__in=[first.pk, second.pk])
    assert {row.submitter_email for row in rows} == {""}
    assert not tokens & {row.submitter_token for row in rows}


def test_a_dry_run_counts_and_writes_nothing():
    initiative = theirs(title=f"Les visières de {NAME}")
    counts = personal_data_erase(initiative=initiative, by=None, dry_run=True)
    assert counts["textes d’initiatives"] == 1
    stored = Initiative.objects.get(pk=initiative.pk)
    assert (stored.title, stored.submitter_email) == (initiative.title, EMAIL)


@override_settings(TASKS=DB_TASKS)
def test_a_waiting_task_is_scrubbed_and_a_finished_one_deleted():
    initiative = theirs()
    waiting = send_submitter_email.enqueue(initiative.pk, "rejected", f"Désolés, {NAME}.")
    done = send_submitter_email.enqueue(initiative.pk, "received", "")
    DBTaskResult.objects.filter(pk=done.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now(), return_value=True
    )
    personal_data_erase(initiative=initiative, by=None)
    row = DBTaskResult.objects.get(pk=waiting.id)
    assert row.args_kwargs["args"] == [initiative.pk, "rejected", "Désolés, [nom effacé]."]
    assert not DBTaskResult.objects.filter(pk=done.id).exists()


@override_settings(TASKS=DB_TASKS, RETENTION_CLOSED_DAYS=90, RETENTION_TASKS_DAYS=7)
def test_retention_deletes_closed_proposals_and_finished_tasks_after_their_periods():
    now = timezone.now()
    old_rejected = make_initiative(status=Status.REJECTED)
    old_withdrawn = make_initiative(status=Status.WITHDRAWN)
    recent_rejected = make_initiative(status=Status.REJECTED)
    old_published = make_initiative(status=Status.PUBLISHED)
    Initiative.objects.filter(pk__in=[old_rejected.pk, old_withdrawn.pk, old_published.pk]).update(
        updated_at=now - datetime.timedelta(days=91)
    )
    old_task = send_submitter_email.enqueue(old_published.pk, "received", "")
    recent_task = send_submitter_email.enqueue(old_published.pk, "received", "")
    waiting = send_submitter_email.enqueue(old_published.pk, "received", "")
    for result, age in ((old_task, 8), (recent_task, 6)):
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.SUCCESSFUL, finished_at=now - datetime.timedelta(days=age)
        )
    counts = retention_purge(now=now)
    assert (counts.proposals, counts.tasks) == (2, 1)
    assert set(Initiative.objects.values_list("pk", flat=True)) == {
        recent_rejected.pk,
        old_published.pk,
    }
    remaining = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert remaining == {recent_task.id, waiting.id}


def test_the_retention_command_says_what_it_deleted():
    out = io.StringIO()
    call_command("retention_purge", stdout=out)
    assert "0 proposition(s) refusée(s) ou retirée(s) et 0 tâche(s)" in out.getvalue()


@override_settings(RETENTION_CLOSED_DAYS=90, RETENTION_TASKS_DAYS=1)
def test_the_privacy_page_says_the_retention_periods(client):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "90&nbsp;jours après la décision" in html
    assert "1&nbsp;jour après leur fin" in html
    assert "retention_purge" in html


def test_the_purge_command_requires_a_person_or_a_date():
    with pytest.raises(CommandError, match="Indiquez --before"):
        call_command("purge_personal_data")
    with pytest.raises(CommandError, match="Aucune initiative"):
        call_command("purge_personal_data", "--initiative", "999999")
