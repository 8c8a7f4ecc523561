"""Freshness, walked with the test outbox and a frozen clock: published → asked →
confirmed → "à confirmer" → hidden → confirmed again → ended, through the scheduler's jobs
(each run twice, or a week late) and the signed answer links."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from solidaire.initiatives.freshness import freshness_asks_run, freshness_states_run, to_verify
from solidaire.initiatives.models import (
    Freshness,
    FreshnessAsk,
    Initiative,
    ReportKind,
    Status,
)
from solidaire.initiatives.selectors import (
    InitiativeFilters,
    initiative_public_counts,
    initiative_search,
)
from solidaire.initiatives.services import initiative_publish
from solidaire.outbox.models import Delivery
from solidaire.outbox.registry import registered_jobs
from solidaire.outbox.scheduling import scheduler_tick
from tests.clock import clock  # noqa: F401 (fixture)
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

EMAIL = "porteuse@exemple.test"
LINK = re.compile(r"http://[^\s]+/initiatives/verification/[^\s/]+/")


def tick_twice():
    """The scheduler, started twice by mistake: each due job runs once."""
    return scheduler_tick() + scheduler_tick()


def links(message) -> dict[str, str]:
    """The four links of an ask, by their answer, in the e-mail's order."""
    found = LINK.findall(message.body)
    assert len(found) == 4, message.body
    return dict(zip(["active", "ended", "changes", "optout"], found, strict=True))


def path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def listed(initiative) -> bool:
    return initiative_search(filters=InitiativeFilters()).filter(pk=initiative.pk).exists()


def published(moderator):
    initiative = make_initiative(
        status=Status.SUBMITTED, submitter_email=EMAIL, title="Épicerie solidaire du Courgain"
    )
    return initiative_publish(initiative=initiative, by=moderator)


def test_an_initiative_is_walked_from_publication_to_its_end(
    clock,  # noqa: F811 (the fixture imported above)
    moderator62,
    django_capture_on_commit_callbacks,
):
    initiative = published(moderator62)
    assert initiative.verified_at == clock.now() and initiative.freshness == Freshness.CURRENT
    start = clock.now()
    tick_twice()
    assert mail.outbox == []  # nothing is due on the day of publication

    # Day 21 (28 days - 7): asked, once, however often the jobs run.
    clock.advance(days=21)
    assert "freshness_asks" in tick_twice()
    assert freshness_asks_run().asked == 0
    assert len(mail.outbox) == 1
    ask_mail = mail.outbox[0]
    assert ask_mail.to == [EMAIL]
    assert ask_mail.subject.startswith("Votre initiative est-elle toujours active")
    first = links(ask_mail)

    # A mail scanner opens the link: the page shows one button and changes nothing.
    visitor = Client()
    page = visitor.get(path(first["active"]))
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert page.content.decode().count('type="submit"') == 1
    initiative.refresh_from_db()
    assert initiative.verified_at == start
    # The button: confirmed.
    clock.advance(days=1)
    done = visitor.post(path(first["active"]))
    assert "Votre initiative est confirmée" in done.content.decode()
    initiative.refresh_from_db()
    confirmed_at = clock.now()
    assert initiative.verified_at == confirmed_at and initiative.freshness == Freshness.CURRENT
    # The same button again: a French message, nothing changed.
    again = visitor.post(path(first["active"]))
    assert "déjà été enregistrée" in again.content.decode()
    initiative.refresh_from_db()
    assert initiative.verified_at == confirmed_at

    # 21 days after the confirmation: asked about the new date; silence.
    clock.advance(days=21)
    tick_twice()
    assert len(mail.outbox) == 2
    second = links(mail.outbox[1])
    # 7 days later: one reminder; 28 days after the confirmation: "à confirmer".
    clock.advance(days=7)
    tick_twice()
    assert len(mail.outbox) == 3
    assert mail.outbox[2].subject.startswith("Rappel\xa0: votre initiative")
    initiative.refresh_from_db()
    assert initiative.freshness == Freshness.TO_CONFIRM
    assert listed(initiative)
    card = Client().get("/initiatives/").content.decode()
    assert "À confirmer" in card and "vérifiée le" in card
    # 7 days after the reminder: silence flags it to the moderators.
    clock.advance(days=7)
    tick_twice()
    assert to_verify(Initiative.objects.all(), now=clock.now()).filter(pk=initiative.pk).exists()
    assert FreshnessAsk.objects.get(initiative=initiative, cycle=confirmed_at).flagged_at

    # The scheduler is down for three weeks: it catches up once, nothing is mailed twice.
    clock.advance(days=21)  # 56 days after the confirmation: hidden
    with django_capture_on_commit_callbacks(execute=True):  # the full files are rebuilt
        started = tick_twice()
    assert started.count("freshness_states") == 1
    initiative.refresh_from_db()
    assert initiative.freshness == Freshness.HIDDEN
    assert len(mail.outbox) == 3
    assert not listed(initiative)
    assert initiative_public_counts()["published"] == 0
    detail = Client().get(initiative.get_absolute_url())
    assert detail.status_code == 200
    assert "probablement terminée" in detail.content.decode()
    api = Client().get("/api/v1/initiatives/").json()["results"]
    assert [(row["id"], row["freshness"]) for row in api] == [(initiative.pk, "hidden")]
    export = b"".join(Client().get("/donnees/initiatives.csv").streaming_content).decode()
    assert export.splitlines()[0].endswith(",verified_at,freshness")
    assert export.splitlines()[1].endswith(",hidden")

    # Confirmed again through the second ask's link (still valid): listed again.
    assert visitor.post(path(second["active"])).status_code == 200
    initiative.refresh_from_db()
    assert initiative.freshness == Freshness.CURRENT and initiative.verified_at == clock.now()
    assert listed(initiative)
    assert freshness_states_run() == {Freshness.TO_CONFIRM: 0, Freshness.HIDDEN: 0}

    # Next ask: "terminée" archives it.
    clock.advance(days=21)
    tick_twice()
    assert len(mail.outbox) == 4
    ended = links(mail.outbox[3])["ended"]
    assert visitor.post(path(ended)).status_code == 200
    initiative.refresh_from_db()
    assert initiative.status == Status.ARCHIVED
    # Every recipient got one row per event: four batches, one row each.
    rows = Delivery.objects.filter(batch__startswith="freshness:")
    assert rows.count() == 4 == rows.values("batch").distinct().count()
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    # Nothing more is asked about an ended initiative.
    clock.advance(days=60)
    tick_twice()
    assert len(mail.outbox) == 4


def test_a_proposed_change_goes_to_moderation_and_the_published_version_stays(
    clock,  # noqa: F811
    moderator62,
):
    initiative = published(moderator62)
    clock.advance(days=21)
    freshness_asks_run()
    changes = links(mail.outbox[0])["changes"]
    visitor = Client()
    form = visitor.get(path(changes)).content.decode()
    assert "Ce qui a changé" in form
    empty = visitor.post(path(changes), {"message": ""})
    assert empty.status_code == 400 and "Décrivez ce qui a changé" in empty.content.decode()
    visitor.post(path(changes), {"message": "Ouvert le mardi au lieu du lundi."})
    report = initiative.reports.get()
    assert report.kind == ReportKind.CARRIER and "mardi" in report.message
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED and initiative.title.startswith("Épicerie")
    assert initiative.verified_at == clock.now()
    queue = Client()
    queue.force_login(moderator62)
    review = queue.get(f"/gestion/initiatives/{initiative.pk}/").content.decode()
    assert "mardi" in review


def test_an_opted_out_submitter_is_asked_no_more_and_the_moderators_call(
    clock,  # noqa: F811
    moderator62,
):
    initiative = published(moderator62)
    clock.advance(days=21)
    freshness_asks_run()
    optout = links(mail.outbox[0])["optout"]
    visitor = Client()
    assert "Ne plus recevoir" in visitor.get(path(optout)).content.decode()
    assert "plus ces demandes" in visitor.post(path(optout)).content.decode()
    clock.advance(days=7)
    summary = freshness_asks_run()
    assert (summary.reminded, len(mail.outbox)) == (1, 1)  # no reminder e-mail
    assert to_verify(Initiative.objects.all(), now=clock.now()).filter(pk=initiative.pk).exists()


@pytest.mark.parametrize("mangle", ["tampered", "expired", "unknown"])
def test_unusable_links_get_a_french_page_and_change_nothing(clock, moderator62, mangle):  # noqa: F811
    initiative = published(moderator62)
    clock.advance(days=21)
    freshness_asks_run()
    url = path(links(mail.outbox[0])["active"])
    if mangle == "tampered":
        url = url.replace("/verification/", "/verification/x")
        expected = (400, "pas valide")
    elif mangle == "expired":
        clock.advance(days=46)
        expected = (410, "expiré")
    else:
        FreshnessAsk.objects.all().delete()
        expected = (404, "existe plus")
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        assert (response.status_code, expected[1] in response.content.decode()) == (
            expected[0],
            True,
        )
    initiative.refresh_from_db()
    assert initiative.verified_at == initiative.published_at


def test_a_link_answered_after_a_moderator_checked_changes_nothing(clock, moderator62):  # noqa: F811
    initiative = published(moderator62)
    clock.advance(days=21)
    freshness_asks_run()
    ended = path(links(mail.outbox[0])["ended"])
    staff = Client()
    staff.force_login(moderator62)
    clock.advance(days=1)
    assert staff.post(f"/gestion/a-verifier/{initiative.pk}/active/").status_code == 302
    response = Client().post(ended)
    assert "La préfecture a vérifié cette initiative" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.PUBLISHED and initiative.verified_at == clock.now()


def test_old_initiatives_are_asked_before_they_are_hidden(clock, moderator62):  # noqa: F811
    """The first run over initiatives verified long ago (or after a long outage) hides none
    whose carrier can be mailed before an ask and a reminder went unanswered."""
    long_ago = clock.now() - timedelta(days=120)
    mailed = make_initiative(submitter_email=EMAIL, verified_at=long_ago)
    imported = make_initiative(title="Importée", verified_at=long_ago)
    freshness_states_run()
    freshness_asks_run()
    mailed.refresh_from_db()
    imported.refresh_from_db()
    assert (mailed.freshness, imported.freshness) == (Freshness.TO_CONFIRM, Freshness.HIDDEN)
    assert len(mail.outbox) == 1
    clock.advance(days=7)
    freshness_asks_run()  # the reminder
    clock.advance(days=7)
    freshness_states_run()
    mailed.refresh_from_db()
    assert mailed.freshness == Freshness.HIDDEN and len(mail.outbox) == 2


def test_every_scheduled_job_run_twice_in_a_row_sends_each_e_mail_once(clock, moderator62):  # noqa: F811
    for n in range(3):
        make_initiative(title=f"Initiative {n}", submitter_email=f"porteur{n}@exemple.test")
    make_initiative(title="Même porteur", submitter_email="porteur0@exemple.test")
    for days in (21, 7, 7):  # asks, reminders, flags
        clock.advance(days=days)
        for _ in range(2):
            for job in registered_jobs():
                job.run()
    # An ask and a reminder per initiative: porteur0 carries two of them.
    per_address = Counter(m.to[0] for m in mail.outbox)
    assert per_address == {
        "porteur0@exemple.test": 4,
        "porteur1@exemple.test": 2,
        "porteur2@exemple.test": 2,
    }
    bodies = [(m.to[0], m.subject, m.body.split("»")[0]) for m in mail.outbox]
    assert len(set(bodies)) == 8
    assert Delivery.objects.filter(batch__startswith="freshness:").count() == 8
