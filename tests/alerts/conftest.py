from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from solidaire.alerts.models import AlertRecipient
from solidaire.alerts.services import AlertPlace, alert_confirm, alert_subscribe, confirmation_token

PARIS = ZoneInfo("Europe/Paris")


def at(day, hour=0, minute=0, month=3) -> datetime:
    """A moment of March 2026 in Paris (Monday 2 March is the start of a week)."""
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


class Clock:
    def __init__(self, now):
        self.now = now


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock, moved by the test: every timezone.now() reads it."""
    frozen = Clock(at(2, 9))
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


def confirmed_alert(*, email, frequency, themes=(), **place):
    alert = alert_subscribe(
        email=email, place=AlertPlace(**place), themes=themes, frequency=frequency
    )
    return alert_confirm(token=confirmation_token(alert))


@pytest.fixture
def recipient_of():
    return lambda email: AlertRecipient.objects.get(email=email)
