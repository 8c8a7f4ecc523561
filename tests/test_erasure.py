"""RGPD art. 17: a person seeded everywhere the platform copies data, erased, found nowhere.

The person proposes through the real form (receipt e-mail task, session), a moderator writes
to them, a visitor reports with their number, a document mentioning them is imported, a
published bulletin relays their initiative and mails their subscription. After the staff
action, every column of every table (every model, plus the tables no model describes, such
as SQLite's full-text index) is read, JSON and sessions decoded, and searched for the name,
the e-mail and the phone in folded forms: accents and case ignored, the phone's digits in
any writing. On SQLite the whole database image is searched too (``secure_delete``).
"""

import json
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.test.utils import override_settings
from django.utils.timezone import now
from django_tasks_db.models import DBTaskResult

from solidaire.alerts.services import AlertPlace, alert_confirm, alert_subscribe
from solidaire.alerts.services import confirmation_token as alert_confirmation_token
from solidaire.bulletins.models import Bulletin, BulletinRevision, PressContact
from solidaire.bulletins.services import bulletin_create_draft, bulletin_publish
from solidaire.bulletins.subscriptions import (
    confirmation_token,
    subscriber_confirm,
    subscriber_subscribe,
)
from solidaire.imports.services import document_analyse
from solidaire.initiatives.erasure import UNPUBLISHED_NOTE
from solidaire.initiatives.freshness import answer_token
from solidaire.initiatives.models import FreshnessAsk, Initiative, Status, VolunteerCall
from solidaire.initiatives.search import FTS_TABLE, analyze
from solidaire.initiatives.services import initiative_publish, initiative_request_changes
from solidaire.lib.text import fold
from solidaire.outbox.models import Delivery
from solidaire.territory.models import Commune
from tests.bulletins.factories import make_series
from tests.initiatives.factories import propose_data

pytestmark = pytest.mark.django_db

NAME = "Jérémie Dupont-Lefèvre"
EMAIL = "Jeremie.Dupont-Lefevre@Exemple.fr"
PHONE = "03 21 32 00 00"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def initiative_has_call(email: str) -> bool:
    return VolunteerCall.objects.filter(answer_email=email).exists()


class Person:
    """The forms the person is searched in."""

    folded_names = {fold(NAME), fold("Dupont-Lefèvre Jérémie"), " ".join(analyze(NAME))}
    email = EMAIL.casefold()
    # The digits of every writing: 03…, +33 3…, +33 (0)3…, 0033 3…
    digits = ("0321320000", "33321320000")
    # What the search index stores of the name (stemmed): no other word stems to these.
    stems = {"jerem", "lefevr"}

    def found_in(self, text: str) -> bool:
        folded = fold(text)
        digits = re.sub(r"\D", "", text)
        return (
            any(name in folded for name in self.folded_names)
            or self.email in text.casefold()
            or any(number in digits for number in self.digits)
        )


def strings(value) -> Iterator[str]:
    """Every string inside a column's value, JSON decoded (keys too)."""
    if isinstance(value, bytes | memoryview):
        value = bytes(value).decode("utf-8", errors="ignore")
    if isinstance(value, str):
        yield value
        if value[:1] in ("[", "{"):
            try:
                decoded = json.loads(value)
            except ValueError:
                decoded = None
            yield from strings(decoded)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def holders(person: Person) -> dict[str, str]:
    """table.column -> the first value where the person is found, over the whole database."""
    found: dict[str, str] = {}
    model_tables = set()
    for model in apps.get_models(include_auto_created=True):
        model_tables.add(model._meta.db_table)
        columns = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not columns:
            continue
        rows = model._base_manager.values_list(*(f.attname for f in columns))
        for row in rows.iterator(chunk_size=2000):
            for field, value in zip(columns, row, strict=True):
                if model is Session and field.name == "session_data":
                    value = SessionStore().decode(value)
                for text in strings(value):
                    if person.found_in(text):
                        found.setdefault(f"{model._meta.db_table}.{field.column}", text)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=True):
            if table in model_tables:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            names = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    for text in strings(value):
                        if person.found_in(text):
                            found.setdefault(f"{table}.{name}", text)
        if connection.vendor == "sqlite":
            # The index's own words, read through its vocabulary (its pages are binary).
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.erasure_vocab "
                f"USING fts5vocab(main, {FTS_TABLE}, row)"
            )
            cursor.execute("SELECT term FROM temp.erasure_vocab")
            terms = {term for (term,) in cursor.fetchall()}
            cursor.execute("DROP TABLE temp.erasure_vocab")
            for term in sorted(person.stems & terms):
                found.setdefault(f"{FTS_TABLE} (vocabulary)", term)
    return found


def database_image_holds(person: Person) -> list[bytes]:
    """On SQLite, the byte strings of the person left anywhere in the database's pages."""
    image = connection.connection.serialize()
    needles = [
        NAME.encode(),
        b"Dupont-Lef\\u00e8vre",
        b"Jeremie Dupont-Lefevre",
        b"JEREMIE DUPONT LEFEVRE",
        "Dupont-Lefèvre Jérémie".encode(),
        person.email.encode(),
        PHONE.encode(),
        b"03.21.32.00.00",
        b"0321320000",
        b"+33321320000",
    ]
    lowered = image.lower()
    return [needle for needle in needles if needle.lower() in lowered]


def run_queued_tasks() -> int:
    """What ``db_worker`` does, in the test's transaction."""
    ran = 0
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        row.claim("test-worker")
        result = row.task_result
        try:
            row.set_successful(row.task.call(*result.args, **result.kwargs))
        except Exception as exc:  # recorded on the row, as the worker does
            row.set_failed(exc)
        ran += 1
    return ran


def seed(moderator, editor, django_capture_on_commit_callbacks):
    """The person, copied wherever the platform copies what people give it."""
    submitter = Client()
    data = propose_data(
        title=f"Les visières de {NAME}",
        description=(
            "Appelez JEREMIE DUPONT LEFEVRE au 03.21.32.00.00 ou écrivez à "
            "jeremie.dupont-lefevre@exemple.fr pour recevoir une visière."
        ),
        actor_name="Dupont-Lefèvre Jérémie",
        beneficiaries="les voisins de jérémie dupont-lefèvre",
        submitter_name=NAME,
        submitter_email=EMAIL,
        submitter_phone=PHONE,
        quantities=[(300, "visières", "chez Jérémie Dupont-Lefèvre")],
        contacts=[("phone", "+33 3 21 32 00 00")],
        # A call for volunteers answered at the person's own address.
        **{
            "appel-wanted": "on",
            "appel-title": "Des visières à assembler",
            "appel-description": f"Rejoignez {NAME} le samedi matin.",
            "appel-domain": "solidarite-insertion",
            "appel-remote": "no",
            "appel-answer_email": EMAIL,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert submitter.post("/initiatives/proposer/", data).status_code == 302
    assert initiative_has_call(EMAIL)
    initiative = Initiative.objects.get(submitter_email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        initiative_request_changes(
            initiative=initiative,
            by=moderator,
            message=f"Bonjour {NAME}, nous vous rappellerons au 0321320000.",
        )
    follow = f"/initiatives/suivi/{initiative.submitter_token}/"
    assert submitter.post(follow + "renvoyer/").status_code == 302
    initiative_publish(initiative=initiative, by=moderator)
    # Asked whether it still runs, the person opts out of the asks (a row with the address).
    ask = FreshnessAsk.objects.create(
        initiative=initiative, cycle=initiative.verified_at, channel="email", asked_at=now()
    )
    assert (
        submitter.post(f"/initiatives/verification/{answer_token(ask, 'optout')}/").status_code
        == 200
    )
    visitor = Client()
    report = "Le +33 3 21 32 00 00 de Jérémie Dupont-Lefèvre ne répond plus."
    response = visitor.post(f"/initiatives/{initiative.pk}/signaler/", {"message": report})
    assert response.status_code == 302
    document_analyse(
        text=(
            "Covid-19 : le Pas-de-Calais solidaire\n\nÀ Calais, Jérémie Dupont-Lefèvre fabrique "
            "des visières pour les soignants et les commerçants de la ville. Contact : "
            "03 21 32 00 00 ou jeremie.dupont-lefevre@exemple.fr.\n"
        ),
        name="communique-dupont-lefevre.txt",
        department="62",
        by=moderator,
    )
    LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(Initiative),
        object_id=str(initiative.pk),
        object_repr=str(initiative),
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["Titre"]}}]),
    )
    series = make_series(campaign=initiative.campaign)
    subscriber = subscriber_subscribe(series=series, email=EMAIL.lower())
    subscriber_confirm(token=confirmation_token(subscriber))
    PressContact.objects.create(series=series, name=NAME, email="redaction@journal.example")
    alert = alert_subscribe(
        email=EMAIL,
        place=AlertPlace(scope="commune", commune=Commune.objects.get(pk="62193")),
        frequency="daily",
    )
    alert_confirm(token=alert_confirmation_token(alert))
    draft = bulletin_create_draft(series=series)
    assert draft.items.filter(initiative=initiative).exists()
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(bulletin=draft, by=editor, send=True)
    assert run_queued_tasks() >= 3  # receipt, changes requested, the bulletin's mailing
    assert Delivery.objects.filter(address=EMAIL.lower(), status="sent").exists()
    return initiative, submitter, draft


@override_settings(TASKS=DB_TASKS)
def test_a_person_erased_by_the_staff_action_is_found_nowhere(
    moderator62, editor, django_capture_on_commit_callbacks
):
    initiative, submitter, bulletin = seed(moderator62, editor, django_capture_on_commit_callbacks)
    old_link = f"/initiatives/suivi/{initiative.submitter_token}/"
    person = Person()
    before = holders(person)
    # The scan finds the person in every place seeded: it can fail.
    expected = {
        "initiatives_initiative.title",
        "initiatives_initiative.description",
        "initiatives_initiative.actor_name",
        "initiatives_initiative.beneficiaries",
        "initiatives_initiative.submitter_name",
        "initiatives_initiative.submitter_email",
        "initiatives_initiative.submitter_phone",
        "initiatives_initiative.search_document",
        "initiatives_quantity.period",
        "initiatives_contact.value",
        "initiatives_volunteercall.description",
        "initiatives_volunteercall.answer_email",
        "initiatives_transition.message",
        "initiatives_report.message",
        "imports_importeddocument.text",
        "imports_importeddocument.result",
        # Tasks carry ledger ids now; the e-mails' text is in the ledger itself.
        "bulletins_bulletinitem.paragraph",
        "bulletins_bulletinitem.contact_text",
        "bulletins_bulletin.snapshot",
        "bulletins_bulletinrevision.snapshot",
        "bulletins_subscriber.email",
        "bulletins_presscontact.name",
        "initiatives_freshnessoptout.email",
        "outbox_delivery.address",
        "outbox_delivery.body",
        "django_admin_log.object_repr",
    }
    assert expected <= set(before), expected - set(before)
    if connection.vendor == "sqlite":
        assert f"{FTS_TABLE} (vocabulary)" in before
        assert len(database_image_holds(person)) >= 5
    assert Session.objects.count() >= 1

    staff = Client()
    staff.force_login(moderator62)
    page = staff.get(f"/gestion/initiatives/{initiative.pk}/effacer-donnees/")
    assert "Effacer les données personnelles" in page.content.decode()
    typed = {"name": NAME, "email": EMAIL, "phone": PHONE}
    confirm = staff.post(f"/gestion/initiatives/{initiative.pk}/effacer-donnees/", typed)
    assert "Effacer définitivement" in confirm.content.decode()
    assert Initiative.objects.get(pk=initiative.pk).submitter_email == EMAIL  # not yet
    done = staff.post(
        f"/gestion/initiatives/{initiative.pk}/effacer-donnees/", {**typed, "confirm": "1"}
    )
    assert done.status_code == 302

    assert holders(person) == {}
    if connection.vendor == "sqlite":
        assert database_image_holds(person) == []
    # Answered only at the person's address: the call is gone, from the bulletin too.
    assert not VolunteerCall.objects.exists()

    # The phone was the only public contact: back in the queue, with the moderators' note.
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert not initiative.contacts.exists()
    assert initiative.transitions.last().message == UNPUBLISHED_NOTE
    assert Client().get(f"/initiatives/{initiative.pk}/").status_code == 404
    # The bulletin is corrected by a dated revision its readers see.
    bulletin.refresh_from_db()
    assert bulletin.snapshot["correction_note"] == "Données personnelles effacées"
    assert bulletin.snapshot["corrected_at"]
    assert BulletinRevision.objects.filter(bulletin=bulletin).count() == 2
    assert "[téléphone effacé]" in json.dumps(bulletin.snapshot, ensure_ascii=False)
    # The old private link and the session that held it lead nowhere.
    assert submitter.get(old_link).status_code == 404
    assert (
        "/initiatives/suivi/" not in submitter.get("/initiatives/proposer/merci/").content.decode()
    )
    # The imported document keeps its length, so the analysis' offsets still hold.
    document = apps.get_model("imports", "ImportedDocument").objects.get()
    assert "•" in document.text and "Calais" in document.text


@override_settings(TASKS=DB_TASKS)
def test_the_command_erases_a_person_by_e_mail(
    moderator62, editor, django_capture_on_commit_callbacks
):
    seed(moderator62, editor, django_capture_on_commit_callbacks)
    call_command("purge_personal_data", "--email", EMAIL, "--name", NAME, "--phone", PHONE)
    assert holders(Person()) == {}
    assert Bulletin.objects.get().revision == 2
