"""Digests: exactly what was published or ended in the area and period, once."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from solidaire.alerts.digests import alerts_send, period_end
from solidaire.alerts.matching import alert_initiatives
from solidaire.alerts.models import Alert, AlertFrequency, AlertRecipient, AlertScope
from solidaire.initiatives.models import Initiative, Status
from solidaire.outbox.models import Delivery, DeliveryStatus
from solidaire.outbox.registry import registered_job
from solidaire.territory.models import Commune, Epci
from tests.factories import make_initiative, make_theme

from .conftest import at, confirmed_alert

pytestmark = pytest.mark.django_db

CALAIS, BOULOGNE, OUTREAU, WIMEREUX = "62193", "62160", "62643", "62893"
GRAND_CALAIS, BOULONNAIS = "200090751", "246200729"


def published(title, moment, **places):
    initiative = make_initiative(title=title, **places)
    Initiative.objects.filter(pk=initiative.pk).update(published_at=moment)
    return initiative


def ended(title, moment, **places):
    initiative = make_initiative(title=title, status=Status.ARCHIVED, **places)
    Initiative.objects.filter(pk=initiative.pk).update(
        published_at=moment - timedelta(days=60), archived_at=moment
    )
    return initiative


def run(frequency, now, clock, capture):
    clock.now = now
    with capture(execute=True):
        return alerts_send(frequency)


def titles(message, heading):
    """The initiative titles listed under a heading of the text part."""
    lines = message.body.split(heading, 1)[1].split("\n\n")[0].splitlines()
    return sorted(line[2:].rsplit(" (", 1)[0] for line in lines if line.startswith("- "))


def test_a_daily_alert_for_calais_lists_exactly_its_day(clock, django_capture_on_commit_callbacks):
    alert = confirmed_alert(
        email="habitante@exemple.test",
        frequency=AlertFrequency.DAILY,
        scope=AlertScope.COMMUNE,
        commune=Commune.objects.get(pk=CALAIS),
    )
    published("Avant l'alerte", at(2, 8), communes=[CALAIS])
    published("Visières à Calais", at(2, 10), communes=[CALAIS])
    published("Courses dans le Calaisis", at(2, 11), communes=[], epcis=[GRAND_CALAIS])
    published("Numéro du département", at(2, 13), communes=[], departments=["62"])
    published("Masques à Boulogne", at(2, 12), communes=[BOULOGNE])
    ended("Repas terminés", at(2, 15), communes=[CALAIS])
    published("Mardi matin", at(3, 8), communes=[CALAIS])
    make_initiative(title="Pas encore publiée", status=Status.SUBMITTED, communes=[CALAIS])

    assert run(AlertFrequency.DAILY, at(3, 6), clock, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["habitante@exemple.test"]
    assert titles(message, "Nouvelles initiatives") == [
        "Courses dans le Calaisis",
        "Numéro du département",
        "Visières à Calais",
    ]
    assert titles(message, "Initiatives terminées") == ["Repas terminés"]
    assert message.subject == "Alerte Calais (62)\u00a0: 3 nouvelles initiatives et 1 terminée"
    # The engine agrees with the plain per-alert queries.
    expected = alert_initiatives(alert, since=at(2, 9), until=at(3))
    delivery = Delivery.objects.get(kind="alert")
    section = delivery.params["sections"][0]
    assert (section["published"], section["ended"]) == expected

    # Run again the same day, and late the next hour: nothing more.
    run(AlertFrequency.DAILY, at(3, 7), clock, django_capture_on_commit_callbacks)
    run(AlertFrequency.DAILY, at(3, 23, 59), clock, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    # The next day: Tuesday's initiative only.
    run(AlertFrequency.DAILY, at(4, 6), clock, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert titles(mail.outbox[1], "Nouvelles initiatives") == ["Mardi matin"]
    assert "Initiatives terminées" not in mail.outbox[1].body


def test_a_weekly_alert_for_the_ca_du_boulonnais_lists_exactly_its_week(
    clock, django_capture_on_commit_callbacks
):
    alert = confirmed_alert(
        email="elu@exemple.test",
        frequency=AlertFrequency.WEEKLY,
        scope=AlertScope.EPCI,
        epci=Epci.objects.get(pk=BOULONNAIS),
    )
    published("Masques à Boulogne", at(2, 12), communes=[BOULOGNE])
    published("Épicerie solidaire", at(4, 10), communes=[BOULOGNE, CALAIS])
    ended("Couture à Outreau", at(5, 18), communes=[OUTREAU])
    published("Transport à la demande", at(6, 9), communes=[], epcis=[BOULONNAIS])
    published("Visières à Calais", at(5, 9), communes=[CALAIS])
    published("Plateforme départementale", at(5, 9), communes=[], departments=["62"])
    published("Lundi suivant", at(9, 10), communes=[WIMEREUX])

    # Sunday night: the week is not over.
    run(AlertFrequency.WEEKLY, at(8, 23), clock, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run(AlertFrequency.WEEKLY, at(9, 1), clock, django_capture_on_commit_callbacks)
    run(AlertFrequency.WEEKLY, at(9, 2), clock, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert titles(message, "Nouvelles initiatives") == [
        "Masques à Boulogne",
        "Transport à la demande",
        "Épicerie solidaire",
    ]
    assert titles(message, "Initiatives terminées") == ["Couture à Outreau"]
    expected = alert_initiatives(alert, since=at(2, 9), until=at(9))
    section = Delivery.objects.get(kind="alert").params["sections"][0]
    assert (section["published"], section["ended"]) == expected
    assert Alert.objects.get().sent_until == at(9)


def test_the_email_offers_one_click_unsubscribe_and_the_management_page(
    clock, client, django_capture_on_commit_callbacks
):
    alert = confirmed_alert(
        email="habitante@exemple.test",
        frequency=AlertFrequency.IMMEDIATE,
        scope=AlertScope.COMMUNE,
        commune=Commune.objects.get(pk=CALAIS),
    )
    published("Visières à Calais", at(2, 10), communes=[CALAIS])
    run(AlertFrequency.IMMEDIATE, at(2, 10, 3), clock, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    unsubscribe = f"/alertes/supprimer/{alert.unsubscribe_token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>" or (
        message.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/alertes/gerer/{alert.recipient.manage_token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Visières à Calais" in html
    # The mail client's one-click POST, without any CSRF token.
    assert client.post(unsubscribe).status_code == 200
    assert not Alert.objects.exists() and not AlertRecipient.objects.exists()


def test_a_week_of_outage_catches_up_once(clock, django_capture_on_commit_callbacks):
    confirmed_alert(
        email="habitante@exemple.test",
        frequency=AlertFrequency.DAILY,
        scope=AlertScope.NEAR,
        commune=Commune.objects.get(pk=CALAIS),
        distance_km=10,
    )
    for day in range(2, 9):
        published(f"Initiative du {day}", at(day, 12), communes=[CALAIS])
    published("Loin de Calais", at(4, 12), communes=["62041"])
    clock.now = at(9, 5)
    job = registered_job("alerts_daily")
    with django_capture_on_commit_callbacks(execute=True):
        job.run()
    with django_capture_on_commit_callbacks(execute=True):
        job.run()
    assert len(mail.outbox) == 1
    assert titles(mail.outbox[0], "Nouvelles initiatives") == sorted(
        f"Initiative du {day}" for day in range(2, 9)
    )


def test_themes_narrow_an_alert(clock, django_capture_on_commit_callbacks):
    theme = make_theme(name="Personnes âgées")
    other = make_theme(name="Soignants")
    confirmed_alert(
        email="habitante@exemple.test",
        frequency=AlertFrequency.DAILY,
        scope=AlertScope.DEPARTMENT,
        department=Commune.objects.get(pk=CALAIS).department,
        themes=[theme],
    )
    a = published("Courses pour les aînés", at(2, 10), communes=[CALAIS])
    a.themes.set([theme])
    b = published("Visières", at(2, 11), communes=[CALAIS])
    b.themes.set([other])
    run(AlertFrequency.DAILY, at(3, 6), clock, django_capture_on_commit_callbacks)
    assert titles(mail.outbox[0], "Nouvelles initiatives") == ["Courses pour les aînés"]


class RefusingBackend(EmailBackend):
    """Accepts every message but those to refused@…, refused for good (550)."""

    def send_messages(self, messages):
        for message in messages:
            if "refused@exemple.test" in message.to:
                raise smtplib.SMTPRecipientsRefused(
                    {"refused@exemple.test": (550, b"5.1.1 Mailbox unavailable")}
                )
        return super().send_messages(messages)


def test_an_address_refused_again_and_again_is_suspended(
    clock, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    for email in ("refused@exemple.test", "ok@exemple.test"):
        confirmed_alert(
            email=email,
            frequency=AlertFrequency.DAILY,
            scope=AlertScope.COMMUNE,
            commune=Commune.objects.get(pk=CALAIS),
        )
    for day in range(2, 7):
        published(f"Initiative du {day}", at(day, 12), communes=[CALAIS])
        run(AlertFrequency.DAILY, at(day + 1, 6), clock, django_capture_on_commit_callbacks)
    refused = Delivery.objects.filter(address="refused@exemple.test", kind="alert")
    # Three refusals recorded in the ledger, then nothing more is written for the address.
    assert refused.count() == 3
    assert set(refused.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    assert "550" in refused.first().last_error
    recipient = AlertRecipient.objects.get(email="refused@exemple.test")
    assert recipient.disabled_at is not None and "550" in recipient.disabled_reason
    assert Delivery.objects.filter(address="ok@exemple.test", kind="alert").count() == 5
    assert len(mail.outbox) == 5


@pytest.mark.parametrize(
    "now, frequency, expected",
    [
        (at(4, 15), AlertFrequency.DAILY, at(4)),
        (at(4, 15), AlertFrequency.WEEKLY, at(2)),
        (at(2, 0), AlertFrequency.WEEKLY, at(2)),
        (at(4, 15, 7), AlertFrequency.IMMEDIATE, at(4, 15, 7)),
        # The change to summer time (29 March) keeps midnight at midnight.
        (at(30, 12), AlertFrequency.DAILY, at(30)),
    ],
)
def test_periods_end_at_local_midnight(now, frequency, expected):
    assert period_end(frequency, now) == expected


def test_a_period_is_served_once_late_commits_have_landed(
    clock, django_capture_on_commit_callbacks
):
    confirmed_alert(
        email="habitante@exemple.test",
        frequency=AlertFrequency.IMMEDIATE,
        scope=AlertScope.COMMUNE,
        commune=Commune.objects.get(pk=CALAIS),
    )
    published("Tout juste publiée", at(2, 10, 0), communes=[CALAIS])
    run(AlertFrequency.IMMEDIATE, at(2, 10, 1), clock, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run(AlertFrequency.IMMEDIATE, at(2, 10, 3), clock, django_capture_on_commit_callbacks)
    assert titles(mail.outbox[0], "Nouvelles initiatives") == ["Tout juste publiée"]
