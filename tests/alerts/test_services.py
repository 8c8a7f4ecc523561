"""Pending alerts expire; a suspended address confirmed again is served again; erasure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from solidaire.alerts.models import Alert, AlertRecipient, AlertScope
from solidaire.alerts.services import (
    AlertError,
    AlertPlace,
    alert_confirm,
    alert_subscribe,
    alerts_purge_pending,
    confirmation_token,
)
from solidaire.initiatives.erasure import personal_data_erase
from solidaire.outbox.models import Delivery
from solidaire.territory.models import Commune

pytestmark = pytest.mark.django_db


def subscribe(email="lecteur@exemple.test"):
    return alert_subscribe(
        email=email,
        place=AlertPlace(scope=AlertScope.COMMUNE, commune=Commune.objects.get(pk="62193")),
        frequency="daily",
    )


def test_unconfirmed_alerts_are_purged_once_their_link_expired(clock):
    old = subscribe("ancien@exemple.test")
    clock.now += timedelta(days=4)
    recent = subscribe("recent@exemple.test")
    assert alerts_purge_pending() == "1 alerte(s) non confirmée(s) effacée(s)"
    assert list(Alert.objects.all()) == [recent]
    assert not AlertRecipient.objects.filter(pk=old.recipient_id).exists()
    with pytest.raises(AlertError, match="n.existe plus"):
        alert_confirm(token=confirmation_token(old))


def test_confirming_again_lifts_a_suspension():
    alert = subscribe()
    AlertRecipient.objects.filter(pk=alert.recipient_id).update(
        disabled_at=timezone.now(), disabled_reason="3 envois refusés"
    )
    alert_confirm(token=confirmation_token(alert))
    recipient = AlertRecipient.objects.get()
    assert recipient.disabled_at is None and recipient.disabled_reason == ""


def test_an_erased_person_loses_address_alerts_and_ledger_text():
    subscribe("Personne@Exemple.test")
    subscribe("autre@exemple.test")
    assert Delivery.objects.filter(address="personne@exemple.test").exists()
    personal_data_erase(email="personne@exemple.test", by=None)
    assert list(AlertRecipient.objects.values_list("email", flat=True)) == ["autre@exemple.test"]
    assert not Delivery.objects.filter(address__icontains="personne").exists()
